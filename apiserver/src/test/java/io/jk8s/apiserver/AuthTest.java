package io.jk8s.apiserver;

import io.jk8s.apiserver.auth.AuthResult;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.BearerTokenAuthenticator;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.testing.TestRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens through the pluggable authenticator, and a denying authorizer giving 403 Status. */
class AuthTest {

    static MemoryStore store;
    static ApiServer server;
    static final Map<String, UserInfo> TOKENS = Map.of(
            "admin-token", new UserInfo("admin", List.of(UserInfo.MASTERS)),
            "viewer-token", new UserInfo("viewer", List.of("viewers")));

    @BeforeAll
    static void start() throws Exception {
        store = new MemoryStore();
        Authorizer onlyMastersWrite = (user, attrs) -> user.isMaster() || List.of("get", "list", "watch").contains(attrs.verb())
                ? Optional.empty() : Optional.of("");
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, new TestRegistry(),
                List.of(new BearerTokenAuthenticator(t -> Optional.ofNullable(TOKENS.get(t)))), onlyMastersWrite, Clock.systemUTC());
        server.start().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (token != null) b.header("Authorization", "Bearer " + token);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void unknownTokenIs401() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/namespaces", "nope", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"reason\":\"Unauthorized\"");
    }

    @Test
    void authorizerDenialIs403WithUpstreamMessage() throws Exception {
        assertThat(send("GET", "/api/v1/namespaces/default/configmaps", "viewer-token", null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/default/configmaps", "viewer-token",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("configmaps is forbidden: User \\\"viewer\\\" cannot create resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"default\\\"");
        assertThat(send("POST", "/api/v1/namespaces/default/configmaps", "admin-token",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}").statusCode()).isEqualTo(201);
    }

    @Test
    void authResultsAreValues() {
        assertThat(new BearerTokenAuthenticator(t -> Optional.empty()).authenticate(
                new io.jk8s.apiserver.http.ApiRequest("GET", "/", Map.of(), new io.netty.handler.codec.http.DefaultHttpHeaders(),
                        new byte[0], List.of(), false, null))).isEqualTo(AuthResult.NOT_APPLICABLE);
    }
}
