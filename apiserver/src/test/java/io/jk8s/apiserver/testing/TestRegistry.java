package io.jk8s.apiserver.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import io.jk8s.registry.TableColumn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small registry for the API server's own tests (namespaces, pods, configmaps, deployments),
 * with just enough strategy to exercise the generic storage: status subresources, generation,
 * one validation rule (pods need containers), field selectors and two Table columns.
 */
public final class TestRegistry implements ResourceRegistry {

    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final List<KindStrategy> all = List.of(
            new Strategy(new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), List.of(),
                    List.of("create", "delete", "get", "list", "patch", "update", "watch"), Set.of("status", "finalize"),
                    io.fabric8.kubernetes.api.model.Namespace.class), false),
            new Strategy(new ResourceType("", "v1", "Pod", "pods", "pod", true, List.of("po"), List.of("all"), ALL_VERBS,
                    Set.of("status", "binding", "eviction"), io.fabric8.kubernetes.api.model.Pod.class), true),
            new Strategy(new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), List.of(), ALL_VERBS,
                    Set.of(), io.fabric8.kubernetes.api.model.ConfigMap.class), false),
            new Strategy(new ResourceType("", "v1", "Node", "nodes", "node", false, List.of("no"), List.of(), ALL_VERBS,
                    Set.of("status"), io.fabric8.kubernetes.api.model.Node.class), false),
            new Strategy(new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"), List.of("all"),
                    ALL_VERBS, Set.of("status", "scale"), io.fabric8.kubernetes.api.model.apps.Deployment.class), true));

    @Override
    public List<KindStrategy> all() {
        return all;
    }

    @Override
    public Optional<KindStrategy> byResource(String group, String version, String plural) {
        return all.stream().filter(s -> s.type().group().equals(group) && s.type().version().equals(version)
                && s.type().plural().equals(plural)).findFirst();
    }

    @Override
    public Optional<KindStrategy> byKind(String group, String version, String kind) {
        return all.stream().filter(s -> s.type().group().equals(group) && s.type().version().equals(version)
                && s.type().kind().equals(kind)).findFirst();
    }

    private record Strategy(ResourceType type, boolean tracksGeneration) implements KindStrategy {

        private boolean hasStatus() {
            return type.subresources().contains("status");
        }

        @Override
        public void applyDefaults(ObjectNode obj) {
            if (type.kind().equals("Pod") && obj.path("spec").isObject() && !obj.path("spec").has("restartPolicy")) {
                ((ObjectNode) obj.get("spec")).put("restartPolicy", "Always");
            }
        }

        @Override
        public void prepareForCreate(ObjectNode obj) {
            if (hasStatus()) obj.remove("status");
        }

        @Override
        public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
            if (hasStatus()) {
                if (old.has("status")) obj.set("status", old.get("status").deepCopy()); else obj.remove("status");
            }
        }

        @Override
        public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
            List<String> keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            old.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (k.equals("status") || k.equals("metadata") || k.equals("kind") || k.equals("apiVersion")) continue;
                if (old.has(k)) obj.set(k, old.get(k).deepCopy()); else obj.remove(k);
            }
        }

        @Override
        public List<FieldError> validateCreate(ObjectNode obj) {
            if (type.kind().equals("Pod") && obj.path("spec").path("containers").isEmpty()) {
                return List.of(FieldError.required("spec.containers", ""));
            }
            if (type.kind().equals("Deployment") && obj.path("spec").path("replicas").asInt(0) < 0) {
                return List.of(FieldError.invalid("spec.replicas", obj.path("spec").path("replicas").asInt(), "must be greater than or equal to 0"));
            }
            return List.of();
        }

        @Override
        public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
            return validateCreate(obj);
        }

        @Override
        public Map<String, String> selectableFields(ObjectNode obj) {
            Map<String, String> m = new HashMap<>();
            m.put("metadata.name", obj.path("metadata").path("name").asText(""));
            if (type.namespaced()) m.put("metadata.namespace", obj.path("metadata").path("namespace").asText(""));
            if (type.kind().equals("Pod")) {
                m.put("spec.nodeName", obj.path("spec").path("nodeName").asText(""));
                m.put("status.phase", obj.path("status").path("phase").asText(""));
            }
            return m;
        }

        @Override
        public List<TableColumn> columns() {
            return List.of(new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 0),
                    TableColumn.of("Age", "string", "CreationTimestamp"));
        }

        @Override
        public List<Object> row(ObjectNode obj, Instant now) {
            String created = obj.path("metadata").path("creationTimestamp").asText("");
            String age = created.isEmpty() ? "<unknown>" : Duration.between(Instant.parse(created), now).toSeconds() + "s";
            return List.of(obj.path("metadata").path("name").asText(), age);
        }
    }
}
