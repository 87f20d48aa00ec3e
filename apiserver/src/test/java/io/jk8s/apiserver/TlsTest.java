package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.apiserver.testing.TestPki;
import io.jk8s.apiserver.testing.TestRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS with client certificates: CN/O become user/groups, bad or missing credentials get 401 Status. */
class TlsTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    static MemoryStore store;
    static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki("jk8s-test-ca");
        pki.issue("CN=kube-apiserver", true).write(dir.resolve("server.crt"), dir.resolve("server.key"));
        Files.writeString(dir.resolve("ca.crt"), pki.ca().certPem());
        store = new MemoryStore();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("ca.crt")), store, new TestRegistry());
        server.start().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static KubernetesClient client(TestPki.Issued clientCert) {
        ConfigBuilder b = new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + server.port())
                .withCaCertData(b64(pki.ca().certPem())).withRequestRetryBackoffLimit(0).withNamespace("default");
        if (clientCert != null) {
            b.withClientCertData(b64(clientCert.certPem())).withClientKeyData(b64(clientCert.keyPem())).withClientKeyAlgo("EC");
        }
        Config c = b.build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void adminCertificateMayDoAnything() throws Exception {
        try (KubernetesClient c = client(pki.issue("CN=admin,O=system:masters", false))) {
            c.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("tls").endMetadata().build()).create();
            assertThat(c.configMaps().withName("tls").get()).isNotNull();
        }
    }

    @Test
    void noCertificateIsUnauthorizedExceptPublicPaths() {
        try (KubernetesClient c = client(null)) {
            assertThatThrownBy(() -> c.configMaps().list()).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                assertThat(e.getCode()).isEqualTo(401);
                assertThat(e.getStatus().getReason()).isEqualTo("Unauthorized");
            });
            assertThat(c.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.3-jk8s");
        }
    }

    @Test
    void certificateFromAnotherCaIsUnauthorized() throws Exception {
        TestPki other = new TestPki("other-ca");
        try (KubernetesClient c = client(other.issue("CN=mallory,O=system:masters", false))) {
            assertThatThrownBy(() -> c.configMaps().list()).isInstanceOfSatisfying(KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }
}
