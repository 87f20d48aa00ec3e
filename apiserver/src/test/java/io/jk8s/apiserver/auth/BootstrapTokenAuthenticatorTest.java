package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.http.ApiRequest;
import io.jk8s.store.MemoryStore;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BootstrapTokenAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemoryStore store = new MemoryStore();
    private final BootstrapTokenAuthenticator auth = new BootstrapTokenAuthenticator(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void validTokenIsBootstrapUserWithExtraGroups() {
        putSecret("abcdef", Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef",
                "usage-bootstrap-authentication", "true", "expiration", "2026-11-24T12:00:00Z",
                "auth-extra-groups", "system:bootstrappers:jk8s:default-node-token"), "bootstrap.kubernetes.io/token");

        AuthResult r = auth.authenticate(bearer("abcdef.0123456789abcdef"));

        assertThat(r).isInstanceOf(AuthResult.Authenticated.class);
        UserInfo u = ((AuthResult.Authenticated) r).user();
        assertThat(u.name()).isEqualTo("system:bootstrap:abcdef");
        assertThat(u.groups()).containsExactly("system:bootstrappers", "system:bootstrappers:jk8s:default-node-token",
                "system:authenticated");
    }

    @Test
    void expiredTokenIsRejected() {
        putSecret("abcdef", valid(Map.of("expiration", "2026-11-23T11:59:59Z")), "bootstrap.kubernetes.io/token");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void unreadableExpirationIsRejected() {
        putSecret("abcdef", valid(Map.of("expiration", "tomorrow")), "bootstrap.kubernetes.io/token");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void wrongSecretIsRejected() {
        putSecret("abcdef", valid(Map.of()), "bootstrap.kubernetes.io/token");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdee"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void tokenNotForAuthenticationIsRejected() {
        putSecret("abcdef", valid(Map.of("usage-bootstrap-authentication", "false")), "bootstrap.kubernetes.io/token");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void secretOfAnotherTypeIsRejected() {
        putSecret("abcdef", valid(Map.of()), "Opaque");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void unknownOrDeletedTokenIsRejected() {
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void extraGroupOutsideBootstrappersIsRejected() {
        putSecret("abcdef", valid(Map.of("auth-extra-groups", "system:masters")), "bootstrap.kubernetes.io/token");
        assertThat(auth.authenticate(bearer("abcdef.0123456789abcdef"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void otherCredentialsAreNotOurs() {
        assertThat(auth.authenticate(bearer("some-service-account-jwt"))).isEqualTo(AuthResult.NOT_APPLICABLE);
        assertThat(auth.authenticate(request(Map.of()))).isEqualTo(AuthResult.NOT_APPLICABLE);
    }

    private static Map<String, String> valid(Map<String, String> overrides) {
        var m = new java.util.HashMap<>(Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef",
                "usage-bootstrap-authentication", "true"));
        m.putAll(overrides);
        return m;
    }

    private void putSecret(String id, Map<String, String> data, String type) {
        ObjectNode s = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret").put("type", type);
        s.putObject("metadata").put("name", "bootstrap-token-" + id).put("namespace", "kube-system");
        ObjectNode d = s.putObject("data");
        data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        store.create("/registry/secrets/kube-system/bootstrap-token-" + id, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ApiRequest bearer(String token) {
        return request(Map.of("Authorization", "Bearer " + token));
    }

    private static ApiRequest request(Map<String, String> headers) {
        var h = new DefaultHttpHeaders();
        headers.forEach(h::add);
        return new ApiRequest("GET", "/api/v1/nodes", Map.of(), h, new byte[0], List.of(), true, null);
    }
}
