package io.jk8s.controllers.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jk8s.controllers.runtime.Copies;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code pod-template-hash} of a pod template: FNV-32a over the template's canonical JSON
 * (keys sorted, without the hash label itself) and the collision count, rendered with the
 * vowel-free alphabet upstream uses so that names never spell words.
 */
public final class TemplateHash {

    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TemplateHash() {
    }

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        String json = canonical(template);
        int h = 0x811c9dc5;
        for (byte b : json.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        if (collisionCount != null) {
            for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
                h ^= (b & 0xff);
                h *= 0x01000193;
            }
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) sb.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        return sb.toString();
    }

    /** Canonical JSON of {@code template} without the hash label: equal for templates that only differ in map order. */
    static String canonical(PodTemplateSpec template) {
        PodTemplateSpec t = Copies.deepCopy(template);
        if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
            t.getMetadata().getLabels().remove(LABEL);
            if (t.getMetadata().getLabels().isEmpty()) t.getMetadata().setLabels(null);
        }
        try {
            Object tree = SORTED.readValue(SERIALIZATION.asJson(t), Map.class);
            return SORTED.writeValueAsString(tree);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a pod template", e);
        }
    }

    static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonical(a).equals(canonical(b));
    }
}
