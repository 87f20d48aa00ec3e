package io.jk8s.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.openapi.OpenApiGenerator;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;

import java.util.Optional;

/**
 * The OpenAPI documents of the served types ({@link OpenApiGenerator} of the api module): v2 as JSON
 * or gnostic protobuf (older kubectl validates with it), v3 as an index plus one document per
 * group/version (newer kubectl reads it for explain and to see that the server validates fields).
 */
public final class OpenApiDocuments {

    /** What kubectl ≤ 1.26 asks for at {@code /openapi/v2}. */
    public static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    /** What the protobuf document is served as: the same type without the '@' that Go's mime parser rejects. */
    public static final String V2_PROTOBUF_RESPONSE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private final OpenApiGenerator generator;

    public OpenApiDocuments(ResourceRegistry registry) {
        this.generator = new OpenApiGenerator(registry.all().stream().map(KindStrategy::type).toList(),
                "Kubernetes", Discovery.version().path("gitVersion").asText());
    }

    /** Builds the documents ahead of the first request (they take a moment). */
    public void warmUp() {
        generator.v3Index();
        generator.v2();
    }

    public JsonNode v2() {
        return generator.v2();
    }

    public byte[] v2Protobuf() {
        return generator.v2Protobuf();
    }

    public JsonNode v3Index() {
        return generator.v3Index();
    }

    public Optional<JsonNode> v3(String gvPath) {
        return Optional.ofNullable(generator.v3(gvPath));
    }
}
