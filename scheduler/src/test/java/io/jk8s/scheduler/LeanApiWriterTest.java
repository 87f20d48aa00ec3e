package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.testing.TestPki;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LeanApiWriter} under {@link Fabric8SchedulerApi} against the real API server over TLS with client
 * certificates and RBAC: it authenticates as the fabric8 client of the same config does, and its failures are
 * the fabric8 path's (code, Status, message).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeanApiWriterTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    static MemoryStore store;
    static ApiServer server;
    static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki("lean-writer-ca");
        pki.issue("CN=kube-apiserver", true).write(dir.resolve("server.crt"), dir.resolve("server.key"));
        Files.writeString(dir.resolve("ca.crt"), pki.ca().certPem());
        store = new MemoryStore();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("ca.crt")), store, BuiltinRegistry.create(), List.of(), Authorizer.RBAC, Clock.systemUTC());
        server.start().get(30, TimeUnit.SECONDS);
        admin = new KubernetesClientBuilder().withConfig(config(b -> withCert(b, "CN=admin,O=system:masters"))).build();
        for (String ns : List.of("default", "kube-system")) {
            if (admin.namespaces().withName(ns).get() == null) {
                admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.close();
        if (server != null) server.close();
        if (store != null) store.close();
    }

    @Test
    void bindsAndRecordsEventsOverTlsWithTheConfigsClientCertificate() throws Exception {
        Pod pod = createPod("tls-bind");
        try (LeanApiWriter lean = LeanApiWriter.forConfig(admin.getConfiguration(), 4)) {
            Fabric8SchedulerApi api = new Fabric8SchedulerApi(admin, "default-scheduler", "test-instance", lean);
            api.bind(pod, "node-a");
            api.recordEvent(pod, "Normal", "Scheduled", "Binding", "Successfully assigned default/tls-bind to node-a");
        }

        assertThat(admin.pods().inNamespace("default").withName("tls-bind").get().getSpec().getNodeName()).isEqualTo("node-a");
        Event event = eventsAbout("tls-bind").getFirst();
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getReason()).isEqualTo("Scheduled");
        assertThat(event.getAction()).isEqualTo("Binding");
        assertThat(event.getMessage()).isEqualTo("Successfully assigned default/tls-bind to node-a");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(event.getSource().getComponent()).isEqualTo("default-scheduler");
        assertThat(event.getReportingInstance()).isEqualTo("test-instance");
        assertThat(event.getCount()).isEqualTo(1);
        assertThat(event.getFirstTimestamp()).isNotBlank();
    }

    @Test
    void manyConcurrentWritersShareAFewConnections() throws Exception {
        Pod pod = createPod("many-events");
        try (LeanApiWriter lean = LeanApiWriter.forConfig(admin.getConfiguration(), 3);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Fabric8SchedulerApi api = new Fabric8SchedulerApi(admin, "default-scheduler", "test-instance", lean);
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                writes.add(threads.submit(() -> api.recordEvent(pod, "Normal", "Test", "Testing", "event " + n)));
            }
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(eventsAbout("many-events")).extracting(Event::getMessage).hasSize(60).contains("event 0", "event 59");
    }

    @Test
    void aSecondBindingIsTheSameConflictAsOnTheFabric8Path() throws Exception {
        Pod pod = createPod("conflict");
        KubernetesClientException lean;
        try (LeanApiWriter writer = LeanApiWriter.forConfig(admin.getConfiguration(), 2)) {
            Fabric8SchedulerApi api = new Fabric8SchedulerApi(admin, "default-scheduler", "test", writer);
            api.bind(pod, "node-a");
            lean = catchFailure(() -> api.bind(pod, "node-b"));
        }
        KubernetesClientException fabric8 = catchFailure(
                () -> new Fabric8SchedulerApi(admin, "default-scheduler", "test").bind(pod, "node-b"));

        assertThat(lean.getCode()).isEqualTo(409);
        assertThat(lean.getStatus().getReason()).isEqualTo("Conflict");
        assertThat(lean.getMessage()).isEqualTo("binding default/conflict to node-b: HTTP 409: "
                + "Operation cannot be fulfilled on pods/binding \"conflict\": pod conflict is already assigned to node \"node-a\"");
        assertThat(fabric8.getCode()).isEqualTo(lean.getCode());
        assertThat(fabric8.getMessage()).isEqualTo(lean.getMessage());
    }

    @Test
    void aCertificateWithoutRightsIsForbidden() throws Exception {
        Pod pod = createPod("forbidden");
        KubernetesClientException e = failureAs(config(b -> withCert(b, "CN=nobody")), pod);
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
        assertThat(e.getMessage()).startsWith("binding default/forbidden to node-a: HTTP 403: ").contains("\"nobody\"");
    }

    @Test
    void noCredentialsIsAnonymousAndForbidden() throws Exception {
        Pod pod = createPod("anonymous");
        KubernetesClientException e = failureAs(config(b -> { }), pod);
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).startsWith("binding default/anonymous to node-a: HTTP 403: ").contains("system:anonymous");
    }

    @Test
    void anUnknownTokenIsUnauthorized() throws Exception {
        Pod pod = createPod("bad-token");
        KubernetesClientException e = failureAs(config(b -> b.withOauthToken("zzzzzz.0123456789abcdef")), pod);
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(e.getStatus().getReason()).isEqualTo("Unauthorized");
        assertThat(e.getMessage()).startsWith("binding default/bad-token to node-a: HTTP 401: ");
    }

    @Test
    void theConfigsBearerTokenIsSent() throws Exception {
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withName("bootstrap-token-abcdef").endMetadata().withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef",
                        "usage-bootstrap-authentication", "true")).build()).create();
        Pod pod = createPod("token");
        KubernetesClientException e = failureAs(config(b -> b.withOauthToken("abcdef.0123456789abcdef")), pod);
        // Authenticated as the token's user, then refused by RBAC: the token went with the request.
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains("system:bootstrap:abcdef");
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        TestPki other = new TestPki("other-ca");
        Config config = new ConfigBuilder(config(b -> withCert(b, "CN=admin,O=system:masters")))
                .withCaCertData(b64(other.ca().certPem())).build();
        try (LeanApiWriter lean = LeanApiWriter.forConfig(config, 1)) {
            assertThatThrownBy(() -> lean.post("/api/v1/namespaces/default/events",
                    SchedulerWriteBodies.binding(createPod("untrusted"), "node-a"), "binding default/untrusted"))
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageStartingWith("binding default/untrusted failed: ");
        }
    }

    @Test
    void configsOnlyFabric8ReproducesKeepTheFabric8Path() {
        assertThat(LeanApiWriter.unsupported(admin.getConfiguration())).isNull();
        assertThat(LeanApiWriter.unsupported(new ConfigBuilder(admin.getConfiguration())
                .withHttpsProxy("http://proxy.invalid:3128").build())).contains("proxy");
        assertThat(LeanApiWriter.unsupported(new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername("someone").build())).contains("impersonation");
    }

    private static KubernetesClientException failureAs(Config config, Pod pod) {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             LeanApiWriter lean = LeanApiWriter.forConfig(client.getConfiguration(), 1)) {
            return catchFailure(() -> new Fabric8SchedulerApi(client, "default-scheduler", "test", lean).bind(pod, "node-a"));
        }
    }

    private static KubernetesClientException catchFailure(Runnable r) {
        try {
            r.run();
        } catch (KubernetesClientException e) {
            return e;
        }
        throw new AssertionError("expected a KubernetesClientException");
    }

    private static Pod createPod(String name) {
        return admin.pods().inNamespace("default").resource(pod(name, "100m", "64Mi").editMetadata()
                .withUid(null).withCreationTimestamp(null).endMetadata().withStatus(null).build()).create();
    }

    private static List<Event> eventsAbout(String pod) {
        return admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private static Config config(Consumer<ConfigBuilder> credentials) {
        ConfigBuilder b = new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + server.port())
                .withCaCertData(b64(pki.ca().certPem())).withRequestRetryBackoffLimit(0).withNamespace("default");
        credentials.accept(b);
        return b.build();
    }

    private static void withCert(ConfigBuilder b, String subject) {
        try {
            TestPki.Issued cert = pki.issue(subject, false);
            b.withClientCertData(b64(cert.certPem())).withClientKeyData(b64(cert.keyPem())).withClientKeyAlgo("EC");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
