package io.jk8s.apiserver.discovery;

import io.jk8s.api.openapi.OpenApiGenerator;
import io.jk8s.apiserver.json.Json;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI documents of the served types ({@link OpenApiGenerator} of the api module): v2 as JSON
 * or gnostic protobuf (older kubectl validates with it), v3 as an index plus one document per
 * group/version (newer kubectl reads it for explain and to see that the server validates fields).
 *
 * <p>The documents are generated once and kept only as the bytes that are served: as Jackson trees
 * (the generator's cache) they took ~10 MB of heap for the whole life of the server, against ~2.5 MB
 * of JSON.
 */
public final class OpenApiDocuments {

    /** What kubectl ≤ 1.26 asks for at {@code /openapi/v2}. */
    public static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    /** What the protobuf document is served as: the same type without the '@' that Go's mime parser rejects. */
    public static final String V2_PROTOBUF_RESPONSE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private final ResourceRegistry registry;
    private volatile Documents documents;

    /** The serialised documents; arrays are shared, never modified. */
    private record Documents(byte[] v2, byte[] v2Protobuf, byte[] v3Index, Map<String, byte[]> v3) {}

    public OpenApiDocuments(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** Builds the documents ahead of the first request (they take a moment). */
    public void warmUp() {
        documents();
    }

    private Documents documents() {
        Documents d = documents;
        if (d == null) {
            synchronized (this) {
                if (documents == null) {
                    documents = build();
                }
                d = documents;
            }
        }
        return d;
    }

    /** Generates with a generator of its own and keeps the bytes; the trees become garbage. */
    private Documents build() {
        OpenApiGenerator generator = new OpenApiGenerator(registry.all().stream().map(KindStrategy::type).toList(),
                "Kubernetes", Discovery.version().path("gitVersion").asText());
        Map<String, byte[]> v3 = new HashMap<>();
        for (String gv : generator.groupVersionPaths()) {
            v3.put(gv, Json.bytes(generator.v3(gv)));
        }
        return new Documents(Json.bytes(generator.v2()), generator.v2Protobuf(), Json.bytes(generator.v3Index()),
                Map.copyOf(v3));
    }

    /** The Swagger 2.0 document as JSON. Shared: never modify the array. */
    public byte[] v2() {
        return documents().v2();
    }

    /** The v2 document as a gnostic protobuf message. Shared: never modify the array. */
    public byte[] v2Protobuf() {
        return documents().v2Protobuf();
    }

    /** The v3 index as JSON. Shared: never modify the array. */
    public byte[] v3Index() {
        return documents().v3Index();
    }

    /** The v3 document of {@code api/v1} or {@code apis/<group>/<version>} (a leading '/' is ignored) as JSON. */
    public Optional<byte[]> v3(String gvPath) {
        return Optional.ofNullable(documents().v3().get(gvPath.startsWith("/") ? gvPath.substring(1) : gvPath));
    }
}
