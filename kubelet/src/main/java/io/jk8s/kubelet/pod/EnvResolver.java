package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.jk8s.kubelet.volume.DownwardApi;
import io.jk8s.kubelet.volume.PodObjects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A container's environment as upstream's makeEnvironmentVariables builds it: {@code envFrom}
 * sources first (prefix applied, keys that are not valid variable names skipped and reported),
 * then {@code env} in order, each value expanded against the variables defined before it; finally
 * command and args expanded against the whole environment.
 */
final class EnvResolver {

    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /** The container's final environment, command and args, plus warnings for pod events. */
    record Resolved(Map<String, String> env, List<String> command, List<String> args, List<String> invalidKeyWarnings) {}

    private final PodObjects objects;
    private final DownwardApi.NodeAllocatable node;

    EnvResolver(PodObjects objects, DownwardApi.NodeAllocatable node) {
        this.objects = objects;
        this.node = node;
    }

    Resolved resolve(Pod pod, Container c, DownwardApi.PodRuntimeFacts facts) throws ContainerConfigException {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            Map<String, String> data;
            String what;
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                Optional<ConfigMap> cm = objects.configMap(ns, ref.getName());
                if (cm.isEmpty()) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
                }
                data = Objects.requireNonNullElse(cm.get().getData(), Map.of());
                what = "configMap " + ns + "/" + ref.getName();
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                Optional<Secret> secret = objects.secret(ns, ref.getName());
                if (secret.isEmpty()) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
                }
                data = secretData(secret.get());
                what = "secret " + ns + "/" + ref.getName();
            } else {
                continue;
            }
            TreeSet<String> invalid = new TreeSet<>();
            data.forEach((key, value) -> {
                String name = prefix + key;
                if (ENV_VAR_NAME.matcher(name).matches()) {
                    env.put(name, value);
                } else {
                    invalid.add(name);
                }
            });
            if (!invalid.isEmpty()) {
                warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + what
                        + " were skipped since they are considered invalid environment variable names.");
            }
        }
        for (EnvVar var : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            String value = var.getValue() == null ? "" : var.getValue();
            if (!value.isEmpty()) {
                value = EnvExpansion.expand(value, env);
            } else if (var.getValueFrom() != null) {
                Optional<String> resolved = valueFrom(pod, c, var.getValueFrom(), facts);
                if (resolved.isEmpty()) {
                    continue; // an optional reference to something missing: the variable is not set
                }
                value = resolved.get();
            }
            env.put(var.getName(), value);
        }
        return new Resolved(env, EnvExpansion.expandAll(Objects.requireNonNullElse(c.getCommand(), List.of()), env),
                EnvExpansion.expandAll(Objects.requireNonNullElse(c.getArgs(), List.of()), env), warnings);
    }

    private Optional<String> valueFrom(Pod pod, Container c, EnvVarSource from, DownwardApi.PodRuntimeFacts facts)
            throws ContainerConfigException {
        String ns = pod.getMetadata().getNamespace();
        if (from.getFieldRef() != null) {
            String path = from.getFieldRef().getFieldPath();
            return Optional.of(DownwardApi.field(pod, path, facts, true)
                    .orElseThrow(() -> new ContainerConfigException("unsupported fieldPath: " + path)));
        }
        if (from.getResourceFieldRef() != null) {
            try {
                return Optional.of(DownwardApi.resource(pod, from.getResourceFieldRef(), c.getName(), node));
            } catch (IllegalArgumentException e) {
                throw new ContainerConfigException(e.getMessage());
            }
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> cm = objects.configMap(ns, ref.getName());
            if (cm.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
            }
            String value = Objects.requireNonNullElse(cm.get().getData(), Map.<String, String>of()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = objects.secret(ns, ref.getName());
            if (secret.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
            }
            String value = secretData(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.empty();
    }

    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        Objects.requireNonNullElse(secret.getData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        Objects.requireNonNullElse(secret.getStringData(), Map.<String, String>of()).forEach(data::put);
        return data;
    }
}
