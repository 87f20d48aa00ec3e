package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Renders configMap, secret, downwardAPI and projected volumes (including service-account tokens) into
 * files (relative path → bytes and mode), with upstream's rules for items, keys, modes and {@code optional}.
 */
final class VolumePayloads {

    /** Upstream's default file mode for all four kinds (0644). */
    static final int DEFAULT_MODE = 0644;

    /** The files of a volume, and sources that were skipped (each worth a pod event). */
    record Payload(Map<String, FileProjection> files, List<String> skipped) {}

    private final PodObjects objects;
    private final DownwardApi.NodeAllocatable node;
    private final ServiceAccountTokenCache tokens;

    VolumePayloads(PodObjects objects, DownwardApi.NodeAllocatable node, ServiceAccountTokenCache tokens) {
        this.objects = objects;
        this.node = node;
        this.tokens = tokens;
    }

    /** The payload of a volume of one of the four object kinds; empty for other kinds. */
    Optional<Payload> of(Pod pod, Volume volume) throws VolumeSetupException {
        String ns = pod.getMetadata().getNamespace();
        Map<String, FileProjection> files = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        if (volume.getConfigMap() != null) {
            var src = volume.getConfigMap();
            configMap(ns, volume.getName(), src.getName(), src.getItems(), src.getOptional(), mode(src.getDefaultMode()), files);
        } else if (volume.getSecret() != null) {
            var src = volume.getSecret();
            secret(ns, volume.getName(), src.getSecretName(), src.getItems(), src.getOptional(), mode(src.getDefaultMode()), files);
        } else if (volume.getDownwardAPI() != null) {
            downward(pod, volume.getName(), volume.getDownwardAPI().getItems(), mode(volume.getDownwardAPI().getDefaultMode()), files);
        } else if (volume.getProjected() != null) {
            int defaultMode = mode(volume.getProjected().getDefaultMode());
            List<VolumeProjection> sources = Objects.requireNonNullElse(volume.getProjected().getSources(), List.of());
            // Each API-backed source is a round trip (the service-account volume: a TokenRequest and the root CA
            // ConfigMap); with more than one they are asked for at once. Files merge in source order, as before.
            boolean concurrently = sources.stream().filter(VolumePayloads::readsTheApi).count() > 1;
            List<CompletableFuture<Map<String, FileProjection>>> parts = new ArrayList<>();
            for (VolumeProjection source : sources) {
                if (source.getConfigMap() == null && source.getSecret() == null && source.getDownwardAPI() == null
                        && source.getServiceAccountToken() == null) {
                    skipped.add("unsupported projected source in volume \"" + volume.getName() + "\" skipped");
                } else if (concurrently && readsTheApi(source)) {
                    parts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return projectedSource(pod, volume.getName(), source, defaultMode);
                        } catch (VolumeSetupException e) {
                            throw new CompletionException(e);
                        }
                    }, SOURCE_THREADS));
                } else {
                    parts.add(CompletableFuture.completedFuture(projectedSource(pod, volume.getName(), source, defaultMode)));
                }
            }
            for (CompletableFuture<Map<String, FileProjection>> part : parts) {
                try {
                    files.putAll(part.join());
                } catch (CompletionException e) {
                    if (e.getCause() instanceof VolumeSetupException failure) throw failure;
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(new Payload(files, skipped));
    }

    private static final Executor SOURCE_THREADS = task -> Thread.ofVirtual().name("projected-source").start(task);

    private static boolean readsTheApi(VolumeProjection source) {
        return source.getConfigMap() != null || source.getSecret() != null || source.getServiceAccountToken() != null;
    }

    /** The files of one projected source. */
    private Map<String, FileProjection> projectedSource(Pod pod, String volume, VolumeProjection source, int defaultMode)
            throws VolumeSetupException {
        String ns = pod.getMetadata().getNamespace();
        Map<String, FileProjection> files = new LinkedHashMap<>();
        if (source.getConfigMap() != null) {
            var src = source.getConfigMap();
            configMap(ns, volume, src.getName(), src.getItems(), src.getOptional(), defaultMode, files);
        } else if (source.getSecret() != null) {
            var src = source.getSecret();
            secret(ns, volume, src.getName(), src.getItems(), src.getOptional(), defaultMode, files);
        } else if (source.getDownwardAPI() != null) {
            downward(pod, volume, source.getDownwardAPI().getItems(), defaultMode, files);
        } else if (source.getServiceAccountToken() != null) {
            serviceAccountToken(pod, volume, source.getServiceAccountToken(), defaultMode, files);
        }
        return files;
    }

    private void configMap(String ns, String volume, String name, List<KeyToPath> items, Boolean optional, int defaultMode,
                           Map<String, FileProjection> files) throws VolumeSetupException {
        Optional<ConfigMap> found = objects.configMap(ns, name);
        if (found.isEmpty()) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeSetupException(volume, "configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        Objects.requireNonNullElse(found.get().getData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        Objects.requireNonNullElse(found.get().getBinaryData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        project(volume, data, items, optional, defaultMode, "configmap references non-existent config key: ", files);
    }

    private void secret(String ns, String volume, String name, List<KeyToPath> items, Boolean optional, int defaultMode,
                        Map<String, FileProjection> files) throws VolumeSetupException {
        Optional<Secret> found = objects.secret(ns, name);
        if (found.isEmpty()) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeSetupException(volume, "secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        Objects.requireNonNullElse(found.get().getData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        Objects.requireNonNullElse(found.get().getStringData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        project(volume, data, items, optional, defaultMode, "references non-existent secret key: ", files);
    }

    /** All keys as files, or only the listed items at their paths. */
    private static void project(String volume, Map<String, byte[]> data, List<KeyToPath> items, Boolean optional,
                                int defaultMode, String missingKeyMessage, Map<String, FileProjection> files)
            throws VolumeSetupException {
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> files.put(k, new FileProjection(v, defaultMode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new VolumeSetupException(volume, missingKeyMessage + item.getKey());
            }
            files.put(checked(volume, item.getPath()), new FileProjection(value, item.getMode() != null ? item.getMode() : defaultMode));
        }
    }

    private void serviceAccountToken(Pod pod, String volume, io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection src,
                                     int defaultMode, Map<String, FileProjection> files) throws VolumeSetupException {
        String path = checked(volume, src.getPath());
        String token;
        try {
            token = tokens.token(pod, src);
        } catch (RuntimeException e) {
            throw new VolumeSetupException(volume, "failed to fetch token: " + e.getMessage());
        }
        files.put(path, new FileProjection(token.getBytes(StandardCharsets.UTF_8), defaultMode));
    }

    private void downward(Pod pod, String volume, List<DownwardAPIVolumeFile> items, int defaultMode,
                          Map<String, FileProjection> files) throws VolumeSetupException {
        DownwardApi.PodRuntimeFacts none = new DownwardApi.PodRuntimeFacts("", "", "");
        for (DownwardAPIVolumeFile item : Objects.requireNonNullElse(items, List.<DownwardAPIVolumeFile>of())) {
            String value;
            if (item.getFieldRef() != null) {
                value = DownwardApi.field(pod, item.getFieldRef().getFieldPath(), none, false).orElseThrow(() ->
                        new VolumeSetupException(volume, "unsupported fieldPath: " + item.getFieldRef().getFieldPath()));
            } else if (item.getResourceFieldRef() != null) {
                try {
                    value = DownwardApi.resource(pod, item.getResourceFieldRef(), "", node);
                } catch (IllegalArgumentException e) {
                    throw new VolumeSetupException(volume, e.getMessage());
                }
            } else {
                continue;
            }
            files.put(checked(volume, item.getPath()), new FileProjection(value.getBytes(StandardCharsets.UTF_8),
                    item.getMode() != null ? item.getMode() : defaultMode));
        }
    }

    private static String checked(String volume, String path) throws VolumeSetupException {
        try {
            AtomicWriter.validatePath(path);
            return path;
        } catch (IllegalArgumentException e) {
            throw new VolumeSetupException(volume, e.getMessage());
        }
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }
}
