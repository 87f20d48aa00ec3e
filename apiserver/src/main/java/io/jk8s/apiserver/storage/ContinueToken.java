package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} of a paginated list: the next store key to read and the revision of
 * the snapshot (pages of one list are read at the same revision).
 */
public record ContinueToken(String nextKey, long revision) {

    public String encode() {
        var n = Json.object().put("v", "jk8s.1").put("rv", revision).put("start", nextKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
    }

    public static ContinueToken decode(String token) {
        try {
            JsonNode n = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (!"jk8s.1".equals(n.path("v").asText()) || !n.has("start")) {
                throw new IllegalArgumentException("unknown token version");
            }
            return new ContinueToken(n.get("start").asText(), n.path("rv").asLong());
        } catch (Exception e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
    }
}
