package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.api.model.ModelIntrospector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates the OpenAPI documents the API server publishes, from the served resource types and their
 * fabric8 model classes: {@code /openapi/v2} (Swagger 2.0, JSON or gnostic protobuf) and {@code /openapi/v3}
 * (an index plus one OpenAPI 3.0 document per group/version).
 *
 * <p>Definition names, {@code x-kubernetes-group-version-kind}, patch extensions, operation ids and query
 * parameters follow upstream, so that kubectl's explain, client-side validation and its detection of
 * server-side field validation work. Documents are generated on first use and cached; the generator is
 * thread-safe and the returned documents must be treated as read-only.
 */
public final class OpenApiGenerator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<ResourceType> types;
    private final String title;
    private final String version;
    private volatile JsonNode v2;
    private volatile byte[] v2Protobuf;
    private volatile JsonNode v3Index;
    private final Map<String, JsonNode> v3 = new ConcurrentHashMap<>();

    public OpenApiGenerator(Collection<ResourceType> types) {
        this(types, "Kubernetes", "unversioned");
    }

    /**
     * @param title   {@code info.title} of the documents
     * @param version {@code info.version}, e.g. the server's git version
     */
    public OpenApiGenerator(Collection<ResourceType> types, String title, String version) {
        this.types = List.copyOf(types);
        this.title = title;
        this.version = version;
    }

    /** The Swagger 2.0 document with every served type. */
    public JsonNode v2() {
        JsonNode doc = v2;
        if (doc == null) {
            synchronized (this) {
                if (v2 == null) {
                    v2 = build(Dialect.V2, types);
                }
                doc = v2;
            }
        }
        return doc;
    }

    /** The v2 document encoded as a gnostic {@code openapi_v2.Document} protobuf message. */
    public byte[] v2Protobuf() {
        byte[] bytes = v2Protobuf;
        if (bytes == null) {
            synchronized (this) {
                if (v2Protobuf == null) {
                    v2Protobuf = GnosticEncoder.encode(v2());
                }
                bytes = v2Protobuf;
            }
        }
        return bytes.clone();
    }

    /**
     * The v3 discovery index: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}},
     * one entry per served group/version; the hash changes whenever that document changes.
     */
    public JsonNode v3Index() {
        JsonNode index = v3Index;
        if (index == null) {
            synchronized (this) {
                if (v3Index == null) {
                    ObjectNode paths = JSON.objectNode();
                    for (String gv : groupVersionPaths()) {
                        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(v3(gv)));
                    }
                    ObjectNode root = JSON.objectNode();
                    root.set("paths", paths);
                    v3Index = root;
                }
                index = v3Index;
            }
        }
        return index;
    }

    /**
     * The OpenAPI 3.0 document of one group/version.
     *
     * @param groupVersionPath {@code api/v1} or {@code apis/<group>/<version>} (a leading '/' is ignored)
     * @return the document, or null when no type is served at that group/version
     */
    public JsonNode v3(String groupVersionPath) {
        String key = groupVersionPath.startsWith("/") ? groupVersionPath.substring(1) : groupVersionPath;
        JsonNode cached = v3.get(key);
        if (cached != null) {
            return cached;
        }
        List<ResourceType> selected = types.stream().filter(t -> gvPath(t).equals(key)).toList();
        if (selected.isEmpty()) {
            return null;
        }
        return v3.computeIfAbsent(key, k -> build(Dialect.V3, selected));
    }

    /** Served group/version paths ("api/v1", "apis/apps/v1", ...), in first-seen order. */
    public List<String> groupVersionPaths() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        types.forEach(t -> seen.put(gvPath(t), true));
        return new ArrayList<>(seen.keySet());
    }

    private static String gvPath(ResourceType t) {
        return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
    }

    private JsonNode build(Dialect dialect, List<ResourceType> selected) {
        SchemaWriter schemas = new SchemaWriter(dialect);
        ObjectNode paths = JSON.objectNode();
        PathWriter writer = new PathWriter(dialect, schemas, paths);
        for (ResourceType type : selected) {
            ObjectNode kindSchema;
            ObjectNode listSchema;
            Class<?> model = type.model();
            boolean typed = model != null && ModelIntrospector.isModel(model)
                    && model != io.fabric8.kubernetes.api.model.GenericKubernetesResource.class;
            Class<?> listModel = typed ? load(model.getName() + "List") : null;
            if (typed) {
                kindSchema = schemas.ref(model);
                schemas.addGroupVersionKind(DefinitionNames.of(model), type.group(), type.version(), type.kind());
            } else {
                kindSchema = schemas.customKind(type.group(), type.version(), type.kind());
                schemas.addGroupVersionKind(DefinitionNames.ofCustom(type.group(), type.version(), type.kind()),
                        type.group(), type.version(), type.kind());
            }
            if (listModel != null && ModelIntrospector.isModel(listModel)) {
                listSchema = schemas.ref(listModel);
                schemas.addGroupVersionKind(DefinitionNames.of(listModel), type.group(), type.version(), type.listKind());
            } else {
                listSchema = schemas.customKind(type.group(), type.version(), type.listKind());
            }
            writer.write(type, kindSchema, listSchema);
        }
        schemas.ref(io.fabric8.kubernetes.api.model.Status.class);
        schemas.ref(io.fabric8.kubernetes.api.model.DeleteOptions.class);
        ObjectNode doc = JSON.objectNode();
        if (dialect == Dialect.V2) {
            doc.put("swagger", "2.0");
            doc.putObject("info").put("title", title).put("version", version);
            doc.set("paths", sorted(paths));
            doc.set("definitions", schemas.definitions());
            doc.putObject("securityDefinitions").putObject("BearerToken").put("description", "Bearer Token authentication")
                    .put("type", "apiKey").put("name", "authorization").put("in", "header");
            doc.putArray("security").addObject().putArray("BearerToken");
        } else {
            doc.put("openapi", "3.0.0");
            doc.putObject("info").put("title", title).put("version", version);
            doc.set("paths", sorted(paths));
            ObjectNode components = doc.putObject("components");
            components.set("schemas", schemas.definitions());
            components.putObject("securitySchemes").putObject("BearerToken")
                    .put("type", "apiKey").put("description", "Bearer Token authentication")
                    .put("name", "authorization").put("in", "header");
        }
        return doc;
    }

    private static ObjectNode sorted(ObjectNode paths) {
        ObjectNode out = JSON.objectNode();
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        names.stream().sorted().forEach(n -> out.set(n, paths.get(n)));
        return out;
    }

    /** Upstream publishes an uppercase hex SHA-512 of the document as its cache key. */
    private static String hash(JsonNode doc) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512")
                    .digest(MAPPER.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
