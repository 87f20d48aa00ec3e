package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.BearerTokenAuthenticator;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.testing.ManualClock;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service-account tokens through the real API server with RBAC: TokenRequest, authentication as the
 * account ({@code kubectl auth whoami}'s SelfSubjectReview), the tokens that must be refused (expired,
 * forged, other audience, deleted pod or account), node restriction, and the pod token volume admission.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAccountTokenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token";
    private static final String NODE1 = "node-1-token";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private MemoryStore store;
    private ApiServer server;
    private HttpClient http;
    private ServiceAccountTokens keys;

    @BeforeAll
    void start() throws Exception {
        store = new MemoryStore();
        Map<String, UserInfo> tokens = Map.of(
                ADMIN, new UserInfo("admin", List.of(UserInfo.MASTERS)),
                NODE1, new UserInfo("system:node:node-1", List.of("system:nodes", UserInfo.AUTHENTICATED)));
        keys = newKeys();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create(),
                List.of(new BearerTokenAuthenticator(t -> Optional.ofNullable(tokens.get(t)))), Authorizer.RBAC, clock)
                .withServiceAccountTokens(keys);
        server.start().get(60, TimeUnit.SECONDS);
        http = HttpClient.newHttpClient();
        send("POST", "/api/v1/namespaces", ADMIN, "{\"metadata\":{\"name\":\"team\"}}");
        for (String sa : List.of("default", "robot", "other")) {
            assertThat(send("POST", "/api/v1/namespaces/team/serviceaccounts", ADMIN, "{\"metadata\":{\"name\":\"" + sa + "\"}}")
                    .statusCode()).isEqualTo(201);
        }
    }

    @AfterAll
    void stop() {
        http.close();
        server.close();
        store.close();
    }

    private static ServiceAccountTokens newKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        return new ServiceAccountTokens((RSAPrivateKey) kp.getPrivate(), (RSAPublicKey) kp.getPublic(),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER), null);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode requestToken(String caller, String sa, String spec) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/serviceaccounts/" + sa + "/token", caller,
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** {@code kubectl auth whoami}: the response of a SelfSubjectReview made with {@code token}. */
    private HttpResponse<String> whoami(String token) throws Exception {
        return send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", token,
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    }

    private String createPod(String name, String sa, String node) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/pods", ADMIN, "{\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"serviceAccountName\":\"" + sa + "\",\"nodeName\":\"" + node
                + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).at("/metadata/uid").asText();
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /**
     * OIDC issuer discovery: a service account (group system:serviceaccounts) reads the provider configuration
     * and the key set, and the key set's RSA key verifies a token the server issued; a node (not a service account) may not.
     */
    @Test
    void issuerDiscoveryPublishesAKeySetThatVerifiesIssuedTokens() throws Exception {
        String token = requestToken(ADMIN, "robot", "{}").at("/status/token").asText();

        HttpResponse<String> config = send("GET", IssuerDiscovery.CONFIGURATION_PATH, token, null);
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        JsonNode c = JSON.readTree(config.body());
        assertThat(c.at("/issuer").asText()).isEqualTo(ServiceAccountTokens.DEFAULT_ISSUER);
        assertThat(c.at("/jwks_uri").asText()).isEqualTo("https://127.0.0.1:" + server.port() + "/openid/v1/jwks");
        assertThat(c.at("/id_token_signing_alg_values_supported/0").asText()).isEqualTo("RS256");
        assertThat(c.at("/subject_types_supported/0").asText()).isEqualTo("public");

        HttpResponse<String> jwks = send("GET", IssuerDiscovery.JWKS_PATH, token, null);
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
        JsonNode key = JSON.readTree(jwks.body()).at("/keys/0");
        assertThat(key.at("/kty").asText()).isEqualTo("RSA");
        assertThat(key.at("/use").asText()).isEqualTo("sig");
        String[] parts = token.split("\\.");
        assertThat(key.at("/kid").asText()).isEqualTo(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).at("/kid").asText());
        var spec = new java.security.spec.RSAPublicKeySpec(
                new java.math.BigInteger(1, Base64.getUrlDecoder().decode(key.at("/n").asText())),
                new java.math.BigInteger(1, Base64.getUrlDecoder().decode(key.at("/e").asText())));
        var verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(java.security.KeyFactory.getInstance("RSA").generatePublic(spec));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        assertThat(send("GET", IssuerDiscovery.JWKS_PATH, NODE1, null).statusCode())
                .as("a node is not in system:serviceaccounts").isEqualTo(403);
    }

    @Test
    void tokenRequestIssuesATokenThatAuthenticatesAsTheServiceAccount() throws Exception {
        JsonNode answer = requestToken(ADMIN, "robot", "{}");
        assertThat(answer.at("/kind").asText()).isEqualTo("TokenRequest");
        assertThat(answer.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(answer.at("/spec/audiences/0").asText()).isEqualTo(ServiceAccountTokens.DEFAULT_ISSUER);
        Instant expires = Instant.parse(answer.at("/status/expirationTimestamp").asText());
        assertThat(expires).isEqualTo(clock.instant().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String token = answer.at("/status/token").asText();

        JsonNode c = claims(token);
        assertThat(c.at("/iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(c.at("/sub").asText()).isEqualTo("system:serviceaccount:team:robot");
        assertThat(c.at("/exp").asLong() - c.at("/iat").asLong()).isEqualTo(3600);
        assertThat(c.at("/kubernetes.io/namespace").asText()).isEqualTo("team");
        assertThat(c.at("/kubernetes.io/serviceaccount/name").asText()).isEqualTo("robot");
        assertThat(c.at("/kubernetes.io/serviceaccount/uid").asText()).isNotEmpty();

        HttpResponse<String> me = whoami(token);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(201);
        JsonNode info = JSON.readTree(me.body()).at("/status/userInfo");
        assertThat(info.at("/username").asText()).isEqualTo("system:serviceaccount:team:robot");
        assertThat(info.at("/groups").toString())
                .isEqualTo("[\"system:serviceaccounts\",\"system:serviceaccounts:team\",\"system:authenticated\"]");
        // RBAC sees the account: no binding, so reading pods is forbidden (403, not 401).
        assertThat(send("GET", "/api/v1/namespaces/team/pods", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void badTokenRequestsAreRefusedNamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", ADMIN,
                "{\"spec\":{\"expirationSeconds\":599}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("spec.expirationSeconds").contains("may not specify a duration less than 10 minutes");
        r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", ADMIN,
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"name\":\"x\"}}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("spec.boundObjectRef.kind");
        r = send("POST", "/api/v1/namespaces/team/serviceaccounts/ghost/token", ADMIN, "{\"spec\":{}}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("serviceaccounts \\\"ghost\\\" not found");
        r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", ADMIN,
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"missing\"}}}");
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void expiredTokenIsRejectedAfterTheLeeway() throws Exception {
        String token = requestToken(ADMIN, "robot", "{\"expirationSeconds\":600}").at("/status/token").asText();
        assertThat(whoami(token).statusCode()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(600 + 60));
        assertThat(whoami(token).statusCode()).as("within jose's one-minute leeway").isEqualTo(201);
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> r = whoami(token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"reason\":\"Unauthorized\"");
    }

    @Test
    void forgedTokensAreRejected() throws Exception {
        String token = requestToken(ADMIN, "robot", "{}").at("/status/token").asText();
        String[] parts = token.split("\\.");
        // Same signature, claims changed to another account.
        String otherClaims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("robot", "other");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(otherClaims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(whoami(tampered).statusCode()).isEqualTo(401);
        // Signed by someone else's key with our issuer.
        String foreign = new TokenIssuer(newKeys()).issue("team", "robot", "uid", null,
                List.of(ServiceAccountTokens.DEFAULT_ISSUER), clock.instant(), 3600);
        assertThat(whoami(foreign).statusCode()).isEqualTo(401);
        // "alg":"none" with the original claims and no signature.
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".x";
        assertThat(whoami(none).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenForAnotherAudienceIsRejected() throws Exception {
        JsonNode answer = requestToken(ADMIN, "robot", "{\"audiences\":[\"vault\"]}");
        assertThat(answer.at("/spec/audiences").toString()).isEqualTo("[\"vault\"]");
        assertThat(whoami(answer.at("/status/token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void podBoundTokenStopsWorkingWhenThePodIsDeleted() throws Exception {
        String uid = createPod("bound", "robot", "node-1");
        JsonNode answer = requestToken(ADMIN, "robot", "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"bound\"}}");
        assertThat(answer.at("/spec/boundObjectRef/uid").asText()).isEqualTo(uid);
        String token = answer.at("/status/token").asText();
        assertThat(claims(token).at("/kubernetes.io/pod/uid").asText()).isEqualTo(uid);
        assertThat(whoami(token).statusCode()).isEqualTo(201);
        assertThat(send("DELETE", "/api/v1/namespaces/team/pods/bound?gracePeriodSeconds=0", ADMIN, null).statusCode()).isEqualTo(200);
        assertThat(whoami(token).statusCode()).isEqualTo(401);
        // Re-created under the same name: a new uid, the old token stays dead.
        createPod("bound", "robot", "node-1");
        assertThat(whoami(token).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenStopsWorkingWhenTheServiceAccountIsDeleted() throws Exception {
        send("POST", "/api/v1/namespaces/team/serviceaccounts", ADMIN, "{\"metadata\":{\"name\":\"shortlived\"}}");
        String token = requestToken(ADMIN, "shortlived", "{}").at("/status/token").asText();
        assertThat(whoami(token).statusCode()).isEqualTo(201);
        send("DELETE", "/api/v1/namespaces/team/serviceaccounts/shortlived", ADMIN, null);
        assertThat(whoami(token).statusCode()).isEqualTo(401);
    }

    @Test
    void podBoundToAnotherAccountCannotCarryThisAccountsToken() throws Exception {
        createPod("runs-as-other", "other", "node-1");
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", ADMIN,
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"runs-as-other\"}}}");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void nodesGetTokensOnlyForPodsBoundToThem() throws Exception {
        createPod("on-1", "robot", "node-1");
        createPod("on-2", "robot", "node-2");
        JsonNode mine = requestToken(NODE1, "robot", "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"on-1\"}}");
        assertThat(whoami(mine.at("/status/token").asText()).statusCode()).isEqualTo(201);
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", NODE1,
                "{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"on-2\"}}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("scheduled on a different node");
        r = send("POST", "/api/v1/namespaces/team/serviceaccounts/robot/token", NODE1, "{\"spec\":{}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not bound to a pod");
    }

    @Test
    void newPodsGetTheTokenVolumeUnlessAutomountIsOff() throws Exception {
        createPod("with-volume", "robot", "node-1");
        JsonNode spec = JSON.readTree(send("GET", "/api/v1/namespaces/team/pods/with-volume", ADMIN, null).body()).at("/spec");
        JsonNode volume = spec.at("/volumes/0");
        assertThat(volume.at("/name").asText()).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(volume.at("/projected/defaultMode").asInt()).isEqualTo(0644);
        assertThat(volume.at("/projected/sources/0/serviceAccountToken/expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(volume.at("/projected/sources/0/serviceAccountToken/path").asText()).isEqualTo("token");
        assertThat(volume.at("/projected/sources/1/configMap/name").asText()).isEqualTo("kube-root-ca.crt");
        assertThat(volume.at("/projected/sources/2/downwardAPI/items/0/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
        JsonNode mount = spec.at("/containers/0/volumeMounts/0");
        assertThat(mount.at("/name").asText()).isEqualTo(volume.at("/name").asText());
        assertThat(mount.at("/mountPath").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(mount.at("/readOnly").asBoolean()).isTrue();

        send("POST", "/api/v1/namespaces/team/pods", ADMIN, "{\"metadata\":{\"name\":\"opted-out\"},\"spec\":{"
                + "\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}");
        assertThat(JSON.readTree(send("GET", "/api/v1/namespaces/team/pods/opted-out", ADMIN, null).body()).at("/spec/volumes").size()).isZero();

        send("POST", "/api/v1/namespaces/team/serviceaccounts", ADMIN,
                "{\"metadata\":{\"name\":\"quiet\"},\"automountServiceAccountToken\":false}");
        createPod("quiet-pod", "quiet", "node-1");
        assertThat(JSON.readTree(send("GET", "/api/v1/namespaces/team/pods/quiet-pod", ADMIN, null).body()).at("/spec/volumes").size()).isZero();
    }

    @Test
    void podsOfAServiceAccountThatDoesNotExistAreRefused() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/team/pods", ADMIN, "{\"metadata\":{\"name\":\"ghostly\"},"
                + "\"spec\":{\"serviceAccountName\":\"ghost\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).at("/message").asText()).isEqualTo(
                "pods \"ghostly\" is forbidden: error looking up service account team/ghost: serviceaccount \"ghost\" not found");
        assertThat(send("GET", "/api/v1/namespaces/team/pods/ghostly", ADMIN, null).statusCode()).isEqualTo(404);

        // No default account (no ServiceAccount controller here): refused after upstream's retries.
        send("POST", "/api/v1/namespaces", ADMIN, "{\"metadata\":{\"name\":\"bare\"}}");
        r = send("POST", "/api/v1/namespaces/bare/pods", ADMIN, "{\"metadata\":{\"name\":\"p\"},"
                + "\"spec\":{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("serviceaccount \\\"default\\\" not found");
    }

    @Test
    void tokenReviewTellsWhetherATokenIsGoodForTheAudiencesAsked() throws Exception {
        String apiToken = requestToken(ADMIN, "robot", "{}").at("/status/token").asText();
        HttpResponse<String> r = send("POST", "/apis/authentication.k8s.io/v1/tokenreviews", ADMIN,
                "{\"spec\":{\"token\":\"" + apiToken + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode status = JSON.readTree(r.body()).at("/status");
        assertThat(status.at("/authenticated").asBoolean()).isTrue();
        assertThat(status.at("/user/username").asText()).isEqualTo("system:serviceaccount:team:robot");
        assertThat(status.at("/audiences").toString()).isEqualTo("[\"" + ServiceAccountTokens.DEFAULT_ISSUER + "\"]");

        String vault = requestToken(ADMIN, "robot", "{\"audiences\":[\"vault\"]}").at("/status/token").asText();
        status = JSON.readTree(send("POST", "/apis/authentication.k8s.io/v1/tokenreviews", ADMIN,
                "{\"spec\":{\"token\":\"" + vault + "\",\"audiences\":[\"vault\"]}}").body()).at("/status");
        assertThat(status.at("/authenticated").asBoolean()).isTrue();
        assertThat(status.at("/audiences").toString()).isEqualTo("[\"vault\"]");
        status = JSON.readTree(send("POST", "/apis/authentication.k8s.io/v1/tokenreviews", ADMIN,
                "{\"spec\":{\"token\":\"" + vault + "\"}}").body()).at("/status");
        assertThat(status.at("/authenticated").asBoolean()).as("not for the API's audience").isFalse();
        assertThat(status.at("/error").asText()).contains("invalid bearer token");

        r = send("POST", "/apis/authentication.k8s.io/v1/tokenreviews", ADMIN, "{\"spec\":{}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("spec.token");
    }

    @Test
    void discoveryListsTheTokenSubresourceAsUpstream() throws Exception {
        JsonNode resources = JSON.readTree(send("GET", "/api/v1", ADMIN, null).body()).at("/resources");
        JsonNode token = null;
        for (JsonNode r : resources) if (r.at("/name").asText().equals("serviceaccounts/token")) token = r;
        assertThat(token).isNotNull();
        assertThat(token.at("/group").asText()).isEqualTo("authentication.k8s.io");
        assertThat(token.at("/version").asText()).isEqualTo("v1");
        assertThat(token.at("/kind").asText()).isEqualTo("TokenRequest");
        assertThat(token.at("/verbs").toString()).isEqualTo("[\"create\"]");
    }
}
