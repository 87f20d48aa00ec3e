package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the REST paths of one resource type, as upstream names and shapes them: operation ids like
 * {@code patchAppsV1NamespacedDeployment}, {@code x-kubernetes-action}, {@code x-kubernetes-group-version-kind}
 * on every operation, and the query parameters clients probe for (notably {@code fieldValidation} and
 * {@code dryRun} on POST/PUT/PATCH, which kubectl checks to leave validation to the server).
 */
final class PathWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> PRODUCES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf");
    private static final List<String> WATCH_PRODUCES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf", "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf;stream=watch");
    private static final List<String> PATCH_TYPES = List.of("application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");

    private final Dialect dialect;
    private final SchemaWriter schemas;
    private final Parameters params;
    private final ObjectNode paths;

    PathWriter(Dialect dialect, SchemaWriter schemas, ObjectNode paths) {
        this.dialect = dialect;
        this.schemas = schemas;
        this.params = new Parameters(dialect);
        this.paths = paths;
    }

    /** A group/version/kind as written in {@code x-kubernetes-group-version-kind}. */
    record Gvk(String group, String version, String kind) {
        ObjectNode json() {
            return JSON.objectNode().put("group", group).put("kind", kind).put("version", version);
        }
    }

    static String prefix(ResourceType type) {
        return type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
    }

    /** "CoreV1", "AppsV1", "RbacAuthorizationV1", "FlowcontrolApiserverV1". */
    static String groupVersionWord(String group, String version) {
        String g = group.isEmpty() ? "core" : group.replaceAll("\\.k8s\\.io$", "");
        StringBuilder b = new StringBuilder();
        for (String part : g.split("[.-]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.append(Character.toUpperCase(version.charAt(0))).append(version.substring(1)).toString();
    }

    /** "core_v1", "apps_v1", "rbacAuthorization_v1". */
    static String tag(String group, String version) {
        String word = groupVersionWord(group, version);
        String g = word.substring(0, word.length() - version.length());
        return Character.toLowerCase(g.charAt(0)) + g.substring(1) + "_" + version;
    }

    void write(ResourceType type, ObjectNode kindSchema, ObjectNode listSchema) {
        Gvk gvk = new Gvk(type.group(), type.version(), type.kind());
        String gv = groupVersionWord(type.group(), type.version());
        String scope = type.namespaced() ? "Namespaced" : "";
        String base = prefix(type) + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
        String item = base + "/{name}";
        List<String> verbs = type.verbs();
        String kind = type.kind();

        ObjectNode collection = JSON.objectNode();
        if (verbs.contains("list")) {
            collection.set("get", operation("list or watch objects of kind " + kind, "list" + gv + scope + kind,
                    type, "list", gvk, List.of(params.list()), null, false, responses(listSchema, "200"), true));
        }
        if (verbs.contains("create")) {
            collection.set("post", operation("create " + kind, "create" + gv + scope + kind, type, "post", gvk,
                    List.of(params.dryRun(), params.fieldManager(), params.fieldValidation()), kindSchema, false,
                    responses(kindSchema, "200", "201", "202"), false));
        }
        if (verbs.contains("deletecollection")) {
            List<ObjectNode> p = new ArrayList<>(List.of(params.list()));
            p.addAll(List.of(params.delete()));
            collection.set("delete", operation("delete collection of " + kind, "delete" + gv + "Collection" + scope + kind,
                    type, "deletecollection", gvk, dedupe(p), schemas.ref(io.fabric8.kubernetes.api.model.DeleteOptions.class),
                    false, responses(schemas.ref(io.fabric8.kubernetes.api.model.Status.class), "200"), false));
        }
        addPath(base, collection, type.namespaced() ? List.of(namespaceParam(), params.pretty()) : List.of(params.pretty()));

        ObjectNode single = JSON.objectNode();
        if (verbs.contains("get")) {
            single.set("get", operation("read the specified " + kind, "read" + gv + scope + kind, type, "get", gvk,
                    List.of(), null, false, responses(kindSchema, "200"), false));
        }
        if (verbs.contains("update")) {
            single.set("put", operation("replace the specified " + kind, "replace" + gv + scope + kind, type, "put",
                    gvk, List.of(params.dryRun(), params.fieldManager(), params.fieldValidation()), kindSchema, false,
                    responses(kindSchema, "200", "201"), false));
        }
        if (verbs.contains("patch")) {
            single.set("patch", patchOperation("partially update the specified " + kind, "patch" + gv + scope + kind,
                    type, gvk, kindSchema));
        }
        if (verbs.contains("delete")) {
            single.set("delete", operation("delete " + kind, "delete" + gv + scope + kind, type, "delete", gvk,
                    List.of(params.delete()), schemas.ref(io.fabric8.kubernetes.api.model.DeleteOptions.class), false,
                    responses(schemas.ref(io.fabric8.kubernetes.api.model.Status.class), "200", "202"), false));
        }
        addPath(item, single, itemParams(type, kind));

        if (type.namespaced() && verbs.contains("list")) {
            ObjectNode all = JSON.objectNode();
            all.set("get", operation("list or watch objects of kind " + kind, "list" + gv + kind + "ForAllNamespaces",
                    type, "list", gvk, List.of(params.list()), null, false, responses(listSchema, "200"), true));
            addPath(prefix(type) + "/" + type.plural(), all, List.of(params.pretty()));
        }
        for (String sub : type.subresources()) {
            writeSubresource(type, sub, item, gv + scope + kind, kindSchema);
        }
    }

    private void writeSubresource(ResourceType type, String sub, String item, String opSuffix, ObjectNode kindSchema) {
        String path = item + "/" + sub;
        String word = Character.toUpperCase(sub.charAt(0)) + sub.substring(1);
        Gvk own = new Gvk(type.group(), type.version(), type.kind());
        switch (sub) {
            case "status", "ephemeralcontainers", "resize" -> addPath(path,
                    readReplacePatch(type, own, kindSchema, opSuffix + word, type.kind() + " " + sub),
                    itemParams(type, type.kind()));
            case "scale" -> {
                Class<?> scale = load("io.fabric8.kubernetes.api.model.autoscaling.v1.Scale");
                if (scale != null) {
                    ObjectNode s = schemas.ref(scale);
                    schemas.addGroupVersionKind(DefinitionNames.of(scale), "autoscaling", "v1", "Scale");
                    addPath(path, readReplacePatch(type, new Gvk("autoscaling", "v1", "Scale"), s, opSuffix + word,
                            "scale of the specified " + type.kind()), itemParams(type, "Scale"));
                }
            }
            case "binding" -> createOnly(type, path, "io.fabric8.kubernetes.api.model.Binding", new Gvk("", "v1", "Binding"),
                    opSuffix + word);
            case "eviction" -> createOnly(type, path, "io.fabric8.kubernetes.api.model.policy.v1.Eviction",
                    new Gvk("policy", "v1", "Eviction"), opSuffix + word);
            case "token" -> createOnly(type, path, "io.fabric8.kubernetes.api.model.authentication.TokenRequest",
                    new Gvk("authentication.k8s.io", "v1", "TokenRequest"), opSuffix + word);
            case "log" -> {
                ObjectNode ops = JSON.objectNode();
                List<ObjectNode> p = List.of(params.query("container", "string", "The container for which to stream logs."),
                        params.query("follow", "boolean", "Follow the log stream of the pod."),
                        params.query("limitBytes", "integer", "The number of bytes to read from the server."),
                        params.query("previous", "boolean", "Return previous terminated container logs."),
                        params.query("sinceSeconds", "integer", "A relative time in seconds before the current time."),
                        params.query("tailLines", "integer", "The number of lines from the end of the logs to show."),
                        params.query("timestamps", "boolean", "Add an RFC3339 timestamp at the beginning of every line."));
                ops.set("get", operation("read log of the specified " + type.kind(), "read" + opSuffix + word, type, "get",
                        own, p, null, false, stringResponse(), false));
                addPath(path, ops, itemParams(type, type.kind()));
            }
            case "exec", "attach", "portforward" -> {
                ObjectNode ops = JSON.objectNode();
                for (String method : List.of("get", "post")) {
                    String m = Character.toUpperCase(method.charAt(0)) + method.substring(1);
                    ops.set(method, operation("connect " + method.toUpperCase() + " requests to " + sub + " of "
                            + type.kind(), "connect" + m + opSuffix + word, type, "connect",
                            new Gvk("", "v1", "Pod" + word.replace("Portforward", "PortForward") + "Options"),
                            List.of(), null, false, stringResponse(), false));
                }
                addPath(path, ops, itemParams(type, type.kind()));
            }
            default -> {
                // other subresources (proxy, approval, finalize ...) are not described
            }
        }
    }

    private void createOnly(ResourceType type, String path, String className, Gvk gvk, String opSuffix) {
        Class<?> model = load(className);
        if (model == null) {
            return;
        }
        ObjectNode schema = schemas.ref(model);
        schemas.addGroupVersionKind(DefinitionNames.of(model), gvk.group(), gvk.version(), gvk.kind());
        ObjectNode ops = JSON.objectNode();
        ops.set("post", operation("create " + gvk.kind() + " of " + type.kind(), "create" + opSuffix, type, "post", gvk,
                List.of(params.dryRun(), params.fieldManager(), params.fieldValidation()), schema, false,
                responses(schema, "200", "201", "202"), false));
        addPath(path, ops, itemParams(type, gvk.kind()));
    }

    private ObjectNode readReplacePatch(ResourceType type, Gvk gvk, ObjectNode schema, String opSuffix, String what) {
        ObjectNode ops = JSON.objectNode();
        ops.set("get", operation("read " + what, "read" + opSuffix, type, "get", gvk, List.of(), null, false,
                responses(schema, "200"), false));
        ops.set("put", operation("replace " + what, "replace" + opSuffix, type, "put", gvk,
                List.of(params.dryRun(), params.fieldManager(), params.fieldValidation()), schema, false,
                responses(schema, "200", "201"), false));
        ops.set("patch", patchOperation("partially update " + what, "patch" + opSuffix, type, gvk, schema));
        return ops;
    }

    private ObjectNode patchOperation(String description, String id, ResourceType type, Gvk gvk, ObjectNode schema) {
        return operation(description, id, type, "patch", gvk,
                List.of(params.dryRun(), params.fieldManager(), params.fieldValidation(), params.force()),
                schemas.ref(io.fabric8.kubernetes.api.model.Patch.class), true, responses(schema, "200", "201"), false);
    }

    private List<ObjectNode> itemParams(ResourceType type, String kind) {
        List<ObjectNode> p = new ArrayList<>();
        p.add(params.path("name", "name of the " + kind));
        if (type.namespaced()) {
            p.add(namespaceParam());
        }
        p.add(params.pretty());
        return p;
    }

    private ObjectNode namespaceParam() {
        return params.path("namespace", "object name and auth scope, such as for teams and projects");
    }

    private void addPath(String path, ObjectNode operations, List<ObjectNode> common) {
        if (operations.isEmpty()) {
            return;
        }
        ArrayNode p = operations.putArray("parameters");
        common.forEach(p::add);
        paths.set(path, operations);
    }

    private ObjectNode operation(String description, String id, ResourceType type, String action, Gvk gvk,
                                 List<ObjectNode> parameters, ObjectNode body, boolean patch, ObjectNode responses,
                                 boolean watchable) {
        ObjectNode op = JSON.objectNode();
        op.put("description", description);
        List<String> consumes = patch ? PATCH_TYPES : List.of("*/*");
        List<String> produces = watchable ? WATCH_PRODUCES : PRODUCES;
        if (dialect == Dialect.V2) {
            strings(op.putArray("consumes"), consumes);
            strings(op.putArray("produces"), produces);
            op.putArray("schemes").add("https");
        }
        op.putArray("tags").add(tag(type.group(), type.version()));
        op.put("operationId", id);
        ArrayNode ps = op.putArray("parameters");
        if (body != null && dialect == Dialect.V2) {
            ObjectNode b = ps.addObject().put("name", "body").put("in", "body").put("required", true);
            b.set("schema", body.deepCopy());
        }
        parameters.forEach(ps::add);
        if (body != null && dialect == Dialect.V3) {
            ObjectNode content = op.putObject("requestBody").putObject("content");
            for (String c : consumes) {
                content.putObject(c).set("schema", body.deepCopy());
            }
            ((ObjectNode) op.get("requestBody")).put("required", true);
        }
        op.set("responses", dialect == Dialect.V2 ? responses : v3Responses(responses, produces));
        op.put("x-kubernetes-action", action);
        op.set("x-kubernetes-group-version-kind", gvk.json());
        return op;
    }

    private static List<ObjectNode> dedupe(List<ObjectNode> p) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode n : p) {
            if (out.stream().noneMatch(o -> o.get("name").equals(n.get("name")))) {
                out.add(n);
            }
        }
        return out;
    }

    /** Responses in the v2 shape: {"200":{"description":"OK","schema":...}}; converted for v3 later. */
    private ObjectNode responses(ObjectNode schema, String... codes) {
        ObjectNode r = JSON.objectNode();
        for (String code : codes) {
            ObjectNode resp = r.putObject(code).put("description", switch (code) {
                case "201" -> "Created";
                case "202" -> "Accepted";
                default -> "OK";
            });
            resp.set("schema", schema.deepCopy());
        }
        r.putObject("401").put("description", "Unauthorized");
        return r;
    }

    private ObjectNode stringResponse() {
        ObjectNode r = JSON.objectNode();
        r.putObject("200").put("description", "OK").putObject("schema").put("type", "string");
        r.putObject("401").put("description", "Unauthorized");
        return r;
    }

    private static ObjectNode v3Responses(ObjectNode v2, List<String> produces) {
        ObjectNode out = JSON.objectNode();
        v2.fields().forEachRemaining(e -> {
            ObjectNode resp = out.putObject(e.getKey()).put("description", e.getValue().get("description").asText());
            if (e.getValue().has("schema")) {
                ObjectNode content = resp.putObject("content");
                for (String p : produces) {
                    content.putObject(p).set("schema", e.getValue().get("schema").deepCopy());
                }
            }
        });
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
