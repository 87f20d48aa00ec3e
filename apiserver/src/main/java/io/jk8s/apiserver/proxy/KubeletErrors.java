package io.jk8s.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ApiHandler;
import io.jk8s.apiserver.http.Responder;
import io.jk8s.apiserver.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A kubelet's unsuccessful answer, passed on as a Status with the kubelet's code (upstream's generic
 * HTTP response checker): a Status body as it is, any other text as the message.
 */
final class KubeletErrors {

    /** Upstream reads at most this much of a failed backend response. */
    static final int MAX_ERROR_BODY = 50_000;

    private KubeletErrors() {}

    static void relay(Responder res, int code, byte[] body) {
        try {
            JsonNode n = Json.parse(body, false, false);
            if ("Status".equals(n.path("kind").asText())) {
                res.send(code, "application/json", body);
                return;
            }
        } catch (RuntimeException notJson) {
            // plain text, as the kubelet writes most errors
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) text = "the kubelet answered " + code;
        ApiHandler.sendStatus(res, new ApiException(code, reason(code), text, null, null, null, List.of(), null));
    }

    static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }

    /** 500 as upstream reports a kubelet it cannot reach ({@code error dialing backend: ...}). */
    static ApiException dialFailed(KubeletAddress a, Throwable cause) {
        String why = cause == null ? "connection closed" : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ApiException.internal("error dialing backend: dial tcp " + a.authority() + ": " + why);
    }
}
