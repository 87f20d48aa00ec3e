package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.MutatingAdmission;
import io.jk8s.apiserver.auth.UserInfo;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The token part of upstream's ServiceAccount admission plugin: a new pod gets the projected volume
 * {@code kube-api-access-xxxxx} (a bound service-account token, {@code ca.crt} from the
 * {@code kube-root-ca.crt} ConfigMap, {@code namespace} from the downward API) mounted read-only at
 * {@code /var/run/secrets/kubernetes.io/serviceaccount} in every container and init container that has
 * nothing mounted there — unless {@code automountServiceAccountToken} is false on the pod, or (when the
 * pod does not say) on its ServiceAccount. Mirror pods are left alone.
 *
 * <p>As upstream, a pod whose ServiceAccount does not exist is refused (403). The {@code default} account is
 * looked up a few more times over ~1–2 s first, because the ServiceAccount controller creates it only
 * after the namespace: a pod created right after its namespace waits for it instead of failing.
 */
public final class TokenVolumeAdmission implements MutatingAdmission {

    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String VOLUME_PREFIX = "kube-api-access-";
    static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    /** Upstream's WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;
    private static final String MIRROR = "kubernetes.io/config.mirror";
    /** Upstream's name-generation alphabet (no vowels, no look-alikes). */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** Upstream looks the default account up ten times, 100–200 ms apart, before it gives up. */
    private static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

    private final BiFunction<String, String, Optional<JsonNode>> serviceAccounts;
    private final int defaultAccountAttempts;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param serviceAccounts (namespace, name) → the ServiceAccount; the API server reads its watch cache
     *                        first, so that a pod create does not pay a store read (an etcd round trip)
     */
    public TokenVolumeAdmission(BiFunction<String, String, Optional<JsonNode>> serviceAccounts) {
        this(serviceAccounts, DEFAULT_ACCOUNT_ATTEMPTS);
    }

    TokenVolumeAdmission(BiFunction<String, String, Optional<JsonNode>> serviceAccounts, int defaultAccountAttempts) {
        this.serviceAccounts = serviceAccounts;
        this.defaultAccountAttempts = defaultAccountAttempts;
    }

    @Override
    public void admitCreate(UserInfo user, ResourceType type, String namespace, ObjectNode pod) {
        if (!type.group().isEmpty() || !type.kind().equals("Pod")) return;
        if (pod.path("metadata").path("annotations").has(MIRROR)) return;
        if (!(pod.get("spec") instanceof ObjectNode spec)) return;
        JsonNode account = serviceAccount(spec, namespace, pod.path("metadata").path("name").asText(""));
        if (!automount(spec, account)) return;
        String volumeName = null;
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("name").asText("").startsWith(VOLUME_PREFIX)) {
                volumeName = v.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) volumeName = VOLUME_PREFIX + suffix();
        boolean needed = mount(spec.path("initContainers"), volumeName) | mount(spec.path("containers"), volumeName);
        if (needed && !hasVolume) {
            ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
            volumes.add(volume(volumeName));
        }
    }

    /** The pod's ServiceAccount; a 403 as upstream's when it does not exist. */
    private JsonNode serviceAccount(ObjectNode spec, String namespace, String podName) {
        String sa = spec.path("serviceAccountName").asText("");
        if (sa.isEmpty()) sa = spec.path("serviceAccount").asText("");
        if (sa.isEmpty()) sa = "default";
        int attempts = sa.equals("default") ? defaultAccountAttempts : 1;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) pause();
            Optional<JsonNode> found = serviceAccounts.apply(namespace, sa);
            if (found.isPresent()) return found.get();
        }
        throw io.jk8s.api.ApiException.forbidden("pods \"" + podName + "\" is forbidden: error looking up service account "
                + namespace + "/" + sa + ": serviceaccount \"" + sa + "\" not found");
    }

    private void pause() {
        try {
            Thread.sleep(100 + random.nextInt(100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io.jk8s.api.ApiException.internal("interrupted while waiting for the default service account");
        }
    }

    private static boolean automount(ObjectNode spec, JsonNode account) {
        JsonNode own = spec.get("automountServiceAccountToken");
        if (own != null && own.isBoolean()) return own.asBoolean();
        JsonNode flag = account.path("automountServiceAccountToken");
        return !flag.isBoolean() || flag.asBoolean();
    }

    /** Adds the mount to every container without one at {@link #MOUNT_PATH}; true if any got it. */
    private static boolean mount(JsonNode containers, String volumeName) {
        boolean added = false;
        for (JsonNode c : containers) {
            if (!(c instanceof ObjectNode container)) continue;
            boolean taken = false;
            for (JsonNode m : container.path("volumeMounts")) {
                if (MOUNT_PATH.equals(m.path("mountPath").asText())) taken = true;
            }
            if (taken) continue;
            ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts");
            mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
            added = true;
        }
        return added;
    }

    /** Upstream's TokenVolumeSource, defaultMode set explicitly (0644). */
    private static ObjectNode volume(String name) {
        ObjectNode v = io.jk8s.apiserver.json.Json.object().put("name", name);
        ObjectNode projected = v.putObject("projected").put("defaultMode", 0644);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS).put("path", "token");
        ObjectNode cm = sources.addObject().putObject("configMap").put("name", ROOT_CA_CONFIG_MAP);
        cm.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        return v;
    }

    private String suffix() {
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
