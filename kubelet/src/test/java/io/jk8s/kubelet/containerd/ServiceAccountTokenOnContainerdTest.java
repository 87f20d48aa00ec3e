package io.jk8s.kubelet.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service-account token volume on the real node (API server with service-account tokens in-process,
 * kubelet loop, real containerd + runc): a pod finds {@code token}, {@code ca.crt} and {@code namespace}
 * under {@code /var/run/secrets/kubernetes.io/serviceaccount}; the token it reads authenticates to the API
 * server as its ServiceAccount, is bound to the pod, and stops working once the pod is deleted.
 */
@Tag("containerd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServiceAccountTokenOnContainerdTest {

    private static final String NS = "default";
    private static final String CA = "-----BEGIN CERTIFICATE-----\nnot-checked-by-the-kubelet\n-----END CERTIFICATE-----\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerdFixture fixture;
    private MemoryStore store;
    private ApiServer server;
    private KubernetesClient client;
    private Kubelet kubelet;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        fixture = ContainerdFixture.start();
        store = new MemoryStore();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create())
                .withServiceAccountTokens(new ServiceAccountTokens((RSAPrivateKey) keys.getPrivate(), (RSAPublicKey) keys.getPublic(),
                        ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER), null));
        server.start().get(30, TimeUnit.SECONDS);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.port()).withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : new String[]{NS, "kube-node-lease"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        // What the ServiceAccount controller and the root CA publisher would create.
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("default")
                .endMetadata().build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt")
                .endMetadata().addToData("ca.crt", CA).build()).create();
        kubelet = new Kubelet(client, fixture.cri, new Kubelet.Config("node-1", "127.0.0.1",
                Optional.of(ContainerdFixture.POD_CIDR), fixture.agentDir, Optional.empty(), "cluster.local"),
                Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        http.close();
        ContainerdFixture.tearDown(fixture, kubelet, client, server, store);
    }


    private HttpResponse<String> whoami(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void podReadsItsBoundTokenWhichAuthenticatesUntilThePodIsDeleted() throws Exception {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("with-token").endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.pods().inNamespace(NS).withName("with-token").get().getStatus().getPhase()).isEqualTo("Running"));
        Pod pod = client.pods().inNamespace(NS).withName("with-token").get();

        String dir = "/var/run/secrets/kubernetes.io/serviceaccount";
        assertThat(fixture.exec(pod, "cat " + dir + "/namespace")).isEqualTo(NS);
        assertThat(fixture.exec(pod, "cat " + dir + "/ca.crt")).isEqualTo(CA);
        assertThat(fixture.exec(pod, "ls " + dir)).isEqualTo("ca.crt\nnamespace\ntoken\n");
        String token = fixture.exec(pod, "cat " + dir + "/token");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.at("/kubernetes.io/pod/uid").asText()).isEqualTo(pod.getMetadata().getUid());
        assertThat(claims.at("/exp").asLong() - claims.at("/iat").asLong()).isEqualTo(3607);

        HttpResponse<String> me = whoami(token);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(201);
        assertThat(JSON.readTree(me.body()).at("/status/userInfo/username").asText()).isEqualTo("system:serviceaccount:default:default");

        client.pods().inNamespace(NS).withName("with-token").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(NS).withName("with-token").get() == null
                && fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()).isEmpty());
        assertThat(whoami(token).statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fixture.leftoverMounts()).isEmpty());
    }
}
