package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.BearerTokenAuthenticator;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.json.Json;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RBAC in a real API server: bootstrap policy, 403s, bindings, escalation, reviews, impersonation. */
class RbacApiTest {

    static MemoryStore store;
    static ApiServer server;
    static HttpClient http;
    static final Map<String, UserInfo> TOKENS = Map.of(
            "admin", new UserInfo("kubernetes-admin", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED)),
            "bob", new UserInfo("bob", List.of(UserInfo.AUTHENTICATED)),
            "dana", new UserInfo("dana", List.of(UserInfo.AUTHENTICATED)),
            "erin", new UserInfo("erin", List.of(UserInfo.AUTHENTICATED)));

    @BeforeAll
    static void start() throws Exception {
        store = new MemoryStore();
        server = startServer();
        http = HttpClient.newHttpClient();
        send("admin", "POST", "/api/v1/namespaces", Map.of(), "{\"metadata\":{\"name\":\"team\"}}");
        // dana administers namespace team (admin aggregates edit and view)
        send("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", Map.of(),
                binding("dana-admin", "ClusterRole", "admin", "dana"));
    }

    static ApiServer startServer() throws Exception {
        ApiServer s = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create(),
                List.of(new BearerTokenAuthenticator(t -> Optional.ofNullable(TOKENS.get(t)))), Authorizer.RBAC, Clock.systemUTC());
        s.start().get(60, TimeUnit.SECONDS);
        return s;
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        store.close();
    }

    static String binding(String name, String roleKind, String role, String user) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\""
                + roleKind + "\",\"name\":\"" + role + "\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"" + user + "\"}]}";
    }

    static HttpResponse<String> send(String token, String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
                .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String token, String path) throws Exception {
        return send(token, "GET", path, Map.of(), null);
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body().getBytes(), false, false);
    }

    @Test
    void bootstrapPolicyIsCreated() throws Exception {
        JsonNode admin = json(get("admin", "/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin"));
        assertThat(admin.at("/metadata/annotations").path(BootstrapPolicy.AUTOUPDATE).asText()).isEqualTo("true");
        assertThat(get("admin", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer").body())
                .contains("system:unauthenticated");
        assertThat(get("admin", "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/roles/kubeadm:bootstrap-signer-clusterinfo")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void unboundUserIsForbiddenWithUpstreamsStatus() throws Exception {
        HttpResponse<String> r = get("bob", "/api/v1/namespaces/default/pods");
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode status = json(r);
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("message").asText()).isEqualTo(
                "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
        assertThat(status.at("/details/kind").asText()).isEqualTo("pods");
        assertThat(json(get("bob", "/apis/apps/v1/namespaces/default/deployments/web")).path("message").asText()).isEqualTo(
                "deployments.apps \"web\" is forbidden: User \"bob\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        assertThat(json(get("bob", "/api/v1/nodes")).path("message").asText())
                .endsWith("cannot list resource \"nodes\" in API group \"\" at the cluster scope");
        // discovery is granted to every authenticated user by system:discovery
        assertThat(get("bob", "/api/v1").statusCode()).isEqualTo(200);
        assertThat(get("bob", "/metrics").statusCode()).isEqualTo(403);
    }

    @Test
    void aRoleBindingToViewGrantsReadingInThatNamespaceOnly() throws Exception {
        assertThat(send("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", Map.of(),
                binding("bob-view", "ClusterRole", "view", "bob")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("bob", "/api/v1/namespaces/team/pods").statusCode() == 200);
        assertThat(get("bob", "/api/v1/namespaces/team/pods/log-less").statusCode()).isEqualTo(404); // allowed, just absent
        assertThat(get("bob", "/api/v1/namespaces/default/pods").statusCode()).isEqualTo(403);
        assertThat(send("bob", "POST", "/api/v1/namespaces/team/configmaps", Map.of(), "{\"metadata\":{\"name\":\"x\"}}").statusCode())
                .isEqualTo(403);
        assertThat(get("bob", "/api/v1/namespaces/team/secrets").statusCode()).isEqualTo(403);
    }

    @Test
    void rolesCannotGrantWhatTheWriterDoesNotHold() throws Exception {
        String roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles";
        await().atMost(Duration.ofSeconds(10)).until(() -> get("dana", roles).statusCode() == 200);
        assertThat(send("dana", "POST", roles, Map.of(), "{\"metadata\":{\"name\":\"pod-deleter\"},\"rules\":[{\"apiGroups\":[\"\"],"
                + "\"resources\":[\"pods\"],\"verbs\":[\"delete\"]}]}").statusCode()).isEqualTo(201);
        HttpResponse<String> r = send("dana", "POST", roles, Map.of(), "{\"metadata\":{\"name\":\"node-reader\"},\"rules\":[{\"apiGroups\":[\"\"],"
                + "\"resources\":[\"nodes\"],\"verbs\":[\"get\",\"list\"]}]}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("message").asText()).isEqualTo("roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"dana\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"list\"]}");
        // a patch is judged on the object it produces
        HttpResponse<String> p = send("dana", "PATCH", roles + "/pod-deleter", Map.of(),
                "{\"rules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}");
        assertThat(p.statusCode()).isEqualTo(403);
        // the masters group is exempt
        assertThat(send("admin", "POST", roles, Map.of(), "{\"metadata\":{\"name\":\"node-reader\"},\"rules\":[{\"apiGroups\":[\"\"],"
                + "\"resources\":[\"nodes\"],\"verbs\":[\"get\",\"list\"]}]}").statusCode()).isEqualTo(201);
    }

    @Test
    void bindingsCannotReferenceRolesBeyondTheWriter() throws Exception {
        String rb = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings";
        await().atMost(Duration.ofSeconds(10)).until(() -> get("dana", rb).statusCode() == 200);
        assertThat(send("dana", "POST", rb, Map.of(), binding("dana-gives-view", "ClusterRole", "view", "erin")).statusCode()).isEqualTo(201);
        HttpResponse<String> r = send("dana", "POST", rb, Map.of(), binding("dana-gives-all", "ClusterRole", "cluster-admin", "erin"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("message").asText()).contains("is attempting to grant RBAC permissions not currently held");
    }

    @Test
    void accessReviewsAnswerForTheCallerAndForOthers() throws Exception {
        send("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", Map.of(),
                binding("bob-view-2", "ClusterRole", "view", "bob"));
        String ssar = "{\"spec\":{\"resourceAttributes\":{\"namespace\":\"%s\",\"verb\":\"list\",\"resource\":\"pods\"}}}";
        await().atMost(Duration.ofSeconds(10)).until(() -> json(send("bob", "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Map.of(), ssar.formatted("team"))).at("/status/allowed").asBoolean());
        HttpResponse<String> denied = send("bob", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Map.of(), ssar.formatted("default"));
        assertThat(denied.statusCode()).isEqualTo(201);
        assertThat(json(denied).at("/status/allowed").asBoolean()).isFalse();
        assertThat(json(denied).path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
        // nothing is stored
        assertThat(get("admin", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").statusCode()).isIn(404, 405);

        HttpResponse<String> sar = send("admin", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", Map.of(),
                "{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"namespace\":\"team\",\"verb\":\"get\",\"resource\":\"pods\"}}}");
        assertThat(json(sar).at("/status/allowed").asBoolean()).isTrue();
        assertThat(json(sar).at("/status/reason").asText()).startsWith("RBAC: allowed by RoleBinding");
        assertThat(send("bob", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", Map.of(),
                "{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}}").statusCode()).isEqualTo(403);
        HttpResponse<String> bad = send("bob", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Map.of(), "{\"spec\":{}}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(json(bad).path("message").asText()).contains("spec.resourceAttributes");

        JsonNode rules = json(send("bob", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Map.of(),
                "{\"spec\":{\"namespace\":\"team\"}}"));
        assertThat(rules.at("/status/resourceRules").toString()).contains("\"pods\"").contains("selfsubjectaccessreviews");
        assertThat(rules.at("/status/nonResourceRules").toString()).contains("/version");
    }

    @Test
    void aListNarrowedToOneNameMatchesResourceNames() throws Exception {
        send("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", Map.of(), "{\"metadata\":{\"name\":\"one-cm\"},"
                + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"resourceNames\":[\"cm-a\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]}");
        send("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", Map.of(), binding("erin-one-cm", "Role", "one-cm", "erin"));
        String one = "/api/v1/namespaces/team/configmaps?fieldSelector=metadata.name%3Dcm-a";
        await().atMost(Duration.ofSeconds(10)).until(() -> get("erin", one).statusCode() == 200);
        assertThat(get("erin", "/api/v1/namespaces/team/configmaps").statusCode()).isEqualTo(403);
        assertThat(get("erin", "/api/v1/namespaces/team/configmaps?fieldSelector=metadata.name%3Dcm-b").statusCode()).isEqualTo(403);
    }

    @Test
    void localSubjectAccessReviewTakesTheNamespaceFromThePath() throws Exception {
        HttpResponse<String> r = send("admin", "POST", "/apis/authorization.k8s.io/v1/namespaces/team/localsubjectaccessreviews", Map.of(),
                "{\"spec\":{\"user\":\"dana\",\"resourceAttributes\":{\"verb\":\"delete\",\"resource\":\"pods\"}}}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).at("/status/allowed").asBoolean()).isTrue();
        assertThat(json(r).at("/spec/resourceAttributes/namespace").asText()).isEqualTo("team");
        assertThat(send("admin", "POST", "/apis/authorization.k8s.io/v1/namespaces/team/localsubjectaccessreviews", Map.of(),
                "{\"spec\":{\"user\":\"dana\",\"resourceAttributes\":{\"namespace\":\"other\",\"verb\":\"get\",\"resource\":\"pods\"}}}")
                .statusCode()).isEqualTo(422);
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() throws Exception {
        HttpResponse<String> asBob = send("admin", "GET", "/api/v1/namespaces/default/pods", Map.of("Impersonate-User", "bob"), null);
        assertThat(asBob.statusCode()).isEqualTo(403);
        assertThat(json(asBob).path("message").asText()).contains("User \"bob\" cannot list resource \"pods\"");
        assertThat(send("admin", "GET", "/api/v1/namespaces/default/pods",
                Map.of("Impersonate-User", "bob", "Impersonate-Group", "system:masters"), null).statusCode()).isEqualTo(200);
        HttpResponse<String> bobAsAlice = send("bob", "GET", "/api/v1/namespaces/default/pods", Map.of("Impersonate-User", "alice"), null);
        assertThat(json(bobAsAlice).path("message").asText()).isEqualTo(
                "users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
        assertThat(send("admin", "GET", "/api/v1/namespaces/default/pods", Map.of("Impersonate-Group", "x"), null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void restartReconcilesThePolicyButKeepsOptedOutChanges() throws Exception {
        String basic = "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:auth-delegator";
        String discovery = "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:monitoring";
        assertThat(send("admin", "PATCH", basic, Map.of(), "{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}")
                .statusCode()).isEqualTo(200);
        assertThat(send("admin", "PATCH", discovery, Map.of(), "{\"metadata\":{\"annotations\":{\"" + BootstrapPolicy.AUTOUPDATE
                + "\":\"false\"}},\"rules\":[{\"nonResourceURLs\":[\"/version\"],\"verbs\":[\"get\"]}]}").statusCode()).isEqualTo(200);
        try (ApiServer second = startServer()) {
            assertThat(second.port()).isPositive();
        }
        JsonNode basicNow = json(get("admin", basic));
        assertThat(basicNow.get("rules").toString()).contains("\"pods\"").contains("tokenreviews");
        assertThat(json(get("admin", discovery)).get("rules")).hasSize(1);
    }
}
