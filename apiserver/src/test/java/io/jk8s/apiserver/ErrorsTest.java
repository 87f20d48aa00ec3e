package io.jk8s.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure is a Status with the right code and reason, and nothing is stored. */
class ErrorsTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode status(HttpResponse<String> r) {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8), false, false);
    }

    @ParameterizedTest(name = "{0} {1} -> {4} {5}")
    @CsvSource(delimiter = '|', value = {
            "POST|/api/v1/namespaces/default/configmaps|application/json|{not json|400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps|application/json|{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}|400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps|application/json|{\"kind\":\"ConfigMap\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"x\"}}|400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps|application/vnd.kubernetes.protobuf|xx|400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps|application/cbor|xx|415|UnsupportedMediaType",
            "GET|/api/v1/namespaces/default/widgets|||404|NotFound",
            "GET|/apis/nothing.example.com/v1/things|||404|NotFound",
            "GET|/api/v1/namespaces/default/configmaps/missing|||404|NotFound",
            "PUT|/api/v1/namespaces/default/configmaps|application/json|{}|405|MethodNotAllowed",
            "PATCH|/api/v1/namespaces/default/configmaps/x|application/apply-patch+yaml|{}|422|Invalid",
            "PATCH|/api/v1/namespaces/default/configmaps/x|text/plain|{}|415|UnsupportedMediaType",
            "GET|/api/v1/configmaps?labelSelector=a%20in%20(|||400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps?fieldValidation=Strict|application/json|{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"strict\"},\"bogus\":1}|400|BadRequest",
            "POST|/api/v1/namespaces/default/configmaps?dryRun=Maybe|application/json|{}|400|BadRequest",
    })
    void failuresAreStatuses(String method, String path, String contentType, String body, int code, String reason) {
        HttpResponse<String> r = t.raw(method, path, contentType == null || contentType.isEmpty() ? null : contentType,
                body == null ? null : body, null);
        assertThat(r.statusCode()).isEqualTo(code);
        JsonNode s = status(r);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(r.body()).doesNotContain("at io.jk8s").doesNotContain("Exception");
    }

    @Test
    void unknownFieldsWarnByDefaultAndTheObjectIsStored() {
        HttpResponse<String> r = t.raw("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"warned\"},\"bogus\":1}", null);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).anyMatch(w -> w.contains("unknown field \\\"bogus\\\""));
    }

    @Test
    void duplicateFieldsAreRejectedWhenStrict() {
        HttpResponse<String> r = t.raw("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", "application/json",
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dup\",\"name\":\"dup2\"}}", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(t.client.configMaps().inNamespace("default").withName("dup").get()).isNull();
    }

    @Test
    void tooLargeValueIs413AndNotStored() {
        String big = "x".repeat(2 * 1024 * 1024);
        HttpResponse<String> r = t.raw("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + big + "\"}}", null);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(status(r).path("reason").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(t.client.configMaps().inNamespace("default").withName("big").get()).isNull();
    }

    @Test
    void yamlBodiesAreAccepted() {
        HttpResponse<String> r = t.raw("POST", "/api/v1/namespaces/default/configmaps", "application/yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n", null);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(t.client.configMaps().inNamespace("default").withName("from-yaml").get().getData()).containsEntry("a", "b");
    }
}
