package io.jk8s.api.openapi;

/** The two OpenAPI flavours served: Swagger 2.0 ({@code /openapi/v2}) and OpenAPI 3.0 ({@code /openapi/v3}). */
enum Dialect {
    V2("#/definitions/"),
    V3("#/components/schemas/");

    final String refPrefix;

    Dialect(String refPrefix) {
        this.refPrefix = refPrefix;
    }
}
