package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;

/** Placeholder: encodes the v2 document as gnostic protobuf (implemented below). */
final class GnosticEncoder {

    private GnosticEncoder() {
    }

    static byte[] encode(JsonNode v2) {
        throw new UnsupportedOperationException("OpenAPI v2 protobuf is not implemented yet");
    }
}
