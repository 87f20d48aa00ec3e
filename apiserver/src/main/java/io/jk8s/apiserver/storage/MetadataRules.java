package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Generic {@code ObjectMeta} rules shared by every kind: names, generateName, system fields. */
public final class MetadataRules {

    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MetadataRules() {}

    /** Upstream's generateName: prefix (cut to leave room) + 5 random characters. */
    public static String generateName(String base) {
        String prefix = base.length() > 58 ? base.substring(0, 58) : base;
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            b.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * Upstream's path-segment rule, which every name must pass whatever its kind's own format: the name
     * becomes part of the URL and of the store key. Kind formats (DNS-1123 etc.) are the strategies' job.
     */
    public static List<FieldError> validatePathSegment(String name) {
        List<FieldError> errs = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else if (name.equals(".") || name.equals("..")) {
            errs.add(FieldError.invalid("metadata.name", name, "may not be '" + name + "'"));
        } else {
            for (String bad : List.of("/", "%")) {
                if (name.contains(bad)) errs.add(FieldError.invalid("metadata.name", name, "may not contain '" + bad + "'"));
            }
        }
        return errs;
    }

    /** Labels must be string-valued; annotations too. */
    public static List<FieldError> validateMaps(ObjectNode meta) {
        List<FieldError> errs = new ArrayList<>();
        for (String f : List.of("labels", "annotations")) {
            JsonNode m = meta.get(f);
            if (m == null || m.isNull()) continue;
            if (!m.isObject()) {
                errs.add(FieldError.invalid("metadata." + f, m.toString(), "must be a map of strings"));
                continue;
            }
            m.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    errs.add(FieldError.invalid("metadata." + f + "." + e.getKey(), e.getValue().toString(), "must be a string"));
                }
            });
        }
        return errs;
    }

    /** True when anything outside metadata and status differs (what bumps metadata.generation). */
    public static boolean specChanged(ObjectNode oldObj, ObjectNode newObj) {
        ObjectNode a = oldObj.deepCopy();
        ObjectNode b = newObj.deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            o.remove("metadata");
            o.remove("status");
            o.remove("kind");
            o.remove("apiVersion");
        }
        return !a.equals(b);
    }

    /** Equality ignoring resourceVersion (a no-op update is not written). */
    public static boolean sameIgnoringRevision(ObjectNode a, ObjectNode b) {
        ObjectNode x = a.deepCopy();
        ObjectNode y = b.deepCopy();
        if (x.path("metadata") instanceof ObjectNode m0) m0.remove("resourceVersion");
        if (y.path("metadata") instanceof ObjectNode m) m.remove("resourceVersion");
        return x.equals(y);
    }
}
