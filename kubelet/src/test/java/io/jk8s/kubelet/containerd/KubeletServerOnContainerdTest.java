package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.cri.v1.ContainerFilter;
import io.jk8s.kubelet.pod.CriLabels;
import io.jk8s.kubelet.server.ChannelWebSocket;
import io.jk8s.kubelet.server.TestPki;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet server on a real node: the kubelet (with its HTTPS server) over the in-process API
 * server, real containerd + runc + CNI. Logs come from the CRI log files; exec and port-forward go
 * through containerd's streaming server via the kubelet's upgrade proxy.
 */
@Tag("containerd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KubeletServerOnContainerdTest {

    private ContainerdFixture fixture;
    private MemoryStore store;
    private ApiServer apiServer;
    private KubernetesClient client;
    private Kubelet kubelet;
    private TestPki pki;
    private SSLContext tls;
    private int port;

    @BeforeAll
    void start() throws Exception {
        fixture = ContainerdFixture.start();
        pki = new TestPki(fixture.dataDir.resolve("pki"));
        tls = pki.clientContext(pki.client);
        store = new MemoryStore();
        apiServer = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create());
        apiServer.start().get(30, TimeUnit.SECONDS);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + apiServer.port()).withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : new String[]{"default", "kube-node-lease"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        kubelet = new Kubelet(client, fixture.cri, new Kubelet.Config("node-1", "127.0.0.1",
                Optional.of(ContainerdFixture.POD_CIDR), fixture.agentDir, Optional.empty(), "cluster.local",
                Optional.of(pki.settings())), Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);
        port = client.nodes().withName("node-1").get().getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
        // Lines written into the FIFO later come out on the container's stdout (see printInContainer).
        createPod("chatty", "sh", "-c", "mkfifo /tmp/say; echo one; echo two; echo three; while true; do cat /tmp/say; done");
        createPod("web", "sh", "-c", "echo -n hello-from-web > /tmp/index.html; exec httpd -f -p 8080 -h /tmp");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String name : List.of("chatty", "web")) {
                assertThat(client.pods().inNamespace("default").withName(name).get().getStatus().getPhase())
                        .isEqualTo("Running");
            }
        });
    }

    private void createPod(String name, String... command) {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage("busybox:1.35").withCommand(command).endContainer()
                .endSpec().build()).create();
    }

    @AfterAll
    void stop() throws Exception {
        ContainerdFixture.tearDown(fixture, kubelet, client, apiServer, store);
    }

    private URI uri(String scheme, String pathAndQuery) {
        return URI.create(scheme + "://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HttpClient.newBuilder().sslContext(tls).build().send(
                HttpRequest.newBuilder(uri("https", pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Makes the container's main process print a line (its loop copies the FIFO to stdout). */
    private void printInContainer(String text) {
        String id = fixture.cri.listContainers(ContainerFilter.newBuilder()
                .putLabelSelector(CriLabels.POD_NAME, "chatty").build()).getFirst().getId();
        assertThat(fixture.cri.execSync(id, List.of("sh", "-c", "echo " + text + " > /tmp/say"),
                Duration.ofSeconds(10)).getExitCode()).isZero();
    }

    @Test
    void nodeStatusReportsTheServersPort() {
        assertThat(port).isPositive();
    }

    @Test
    void logsOfABusyboxContainerWithTailAndTimestamps() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/containerLogs/default/chatty/main").body()).startsWith("one\ntwo\nthree\n"));
        assertThat(get("/containerLogs/default/chatty/main?tailLines=1").body()).matches("(three|[a-z0-9-]+)\n");
        assertThat(get("/containerLogs/default/chatty/main?timestamps=true&limitBytes=35").body())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) one\n.*");
        HttpResponse<String> previous = get("/containerLogs/default/chatty/main?previous=true");
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(previous.body()).isEqualTo("previous terminated container \"main\" in pod \"chatty\" not found");
    }

    @Test
    void followReceivesALineWrittenAfterTheRequest() throws Exception {
        printInContainer("before-follow");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/containerLogs/default/chatty/main?tailLines=1").body()).isEqualTo("before-follow\n"));
        HttpResponse<InputStream> response = HttpClient.newBuilder().sslContext(tls).build().send(
                HttpRequest.newBuilder(uri("https", "/containerLogs/default/chatty/main?follow=true&tailLines=0")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Long> latencies = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 10; i++) {
                String marker = "later-" + i;
                long start = System.nanoTime();
                printInContainer(marker);
                assertThat(lines.readLine()).isEqualTo(marker);
                latencies.add((System.nanoTime() - start) / 1_000);
            }
        }
        report("log follow (exec echo into the container's stdout FIFO -> line read by follow client) us", latencies);
    }

    @Test
    void execEchoHiOverWebSocket() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long start = System.nanoTime();
            ChannelWebSocket ws = ChannelWebSocket.open(tls,
                    uri("wss", "/exec/default/chatty/main?command=echo&command=hi&stdout=1&stderr=1"), "v4.channel.k8s.io");
            ws.closed().get(20, TimeUnit.SECONDS);
            assertThat(ws.text(1)).isEqualTo("hi\n");
            assertThat(ws.text(3)).contains("\"status\":\"Success\"");
            latencies.add((System.nanoTime() - start) / 1_000);
        }
        report("exec echo hi round trip over WebSocket v4 (connect, TLS, CRI Exec, containerd, close) us",
                latencies.subList(2, latencies.size()));
    }

    /** kubectl 1.32 asks for v5 first; containerd 1.6 refuses it, and kubectl must see a failed upgrade. */
    @Test
    void aWebSocketProtocolContainerdDoesNotSpeakIsAPromptUpgradeFailure() {
        assertThatThrownBy(() -> ChannelWebSocket.open(tls,
                uri("wss", "/exec/default/chatty/main?command=echo&command=hi&stdout=1"), "v5.channel.k8s.io"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void portForwardToHttpdInThePod() throws Exception {
        ChannelWebSocket ws = ChannelWebSocket.open(tls, uri("wss", "/portForward/default/web?port=8080"), "v4.channel.k8s.io");
        try {
            // The server first names the port (little-endian) on the data channel.
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.bytes(0).length >= 2);
            assertThat(ws.bytes(0)[0] & 0xff | (ws.bytes(0)[1] & 0xff) << 8).isEqualTo(8080);
            ws.send(0, "GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.awaitText(0, t -> t.contains("hello-from-web"), 20)).contains("200 OK");
        } finally {
            ws.close();
        }
    }

    @Test
    void unknownPodsAndContainersAreNotFound() throws Exception {
        assertThat(get("/containerLogs/default/ghost/main").statusCode()).isEqualTo(404);
        HttpResponse<String> container = get("/containerLogs/default/chatty/ghost");
        assertThat(container.statusCode()).isEqualTo(404);
        assertThat(container.body()).isEqualTo("container \"ghost\" not found in pod \"chatty\"");
    }

    private static void report(String what, List<Long> micros) throws Exception {
        List<Long> sorted = micros.stream().sorted().toList();
        String line = what + ": p50=" + sorted.get(sorted.size() / 2) + " max=" + sorted.getLast() + " n=" + sorted.size() + "\n";
        System.out.println(line);
        Path out = Path.of("target", "kubelet-server-latency.txt");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
