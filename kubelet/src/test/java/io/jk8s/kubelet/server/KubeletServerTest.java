package io.jk8s.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.Container;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.ContainerStatus;
import io.jk8s.kubelet.cri.v1.ExecRequest;
import io.jk8s.kubelet.pod.CriLabels;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with a fake CRI and a fake streaming server: authentication, routing, log errors
 * and the upgrade proxy's two outcomes (splice after 101; a refusal relayed as a complete,
 * closed response).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubeletServerTest {

    @TempDir
    Path dir;

    private TestPki pki;
    private KubeletServer server;
    private final List<Container> containers = new CopyOnWriteArrayList<>();
    private final Map<String, Path> logFiles = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String streamingUrl;
    private final List<String> execCommands = new CopyOnWriteArrayList<>();
    private ServerSocket backend;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir.resolve("pki"));
        Pod web = new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().endSpec().build();
        PodLookup pods = (ns, name) -> ns.equals("default") && name.equals("web") ? Optional.of(web) : Optional.empty();
        server = new KubeletServer(pki.settings(), pods, fakeRuntime(), Clock.systemUTC());
        server.start();
        backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        streamingUrl = "http://127.0.0.1:" + backend.getLocalPort() + "/exec/token123";
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        backend.close();
    }

    private ContainerRuntime fakeRuntime() {
        return (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ContainerRuntime.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "listContainers" -> containers;
                    case "containerStatus" -> ContainerStatus.newBuilder().setId((String) args[0])
                            .setState(ContainerState.CONTAINER_RUNNING)
                            .setLogPath(logFiles.getOrDefault((String) args[0], dir.resolve("none")).toString()).build();
                    case "exec" -> {
                        execCommands.addAll(((ExecRequest) args[0]).getCmdList());
                        yield streamingUrl;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void addContainer(String id, long createdAt, String log) throws IOException {
        containers.add(Container.newBuilder().setId(id).setCreatedAt(createdAt).setState(ContainerState.CONTAINER_RUNNING)
                .putLabels(CriLabels.POD_UID, "uid-1").putLabels(CriLabels.CONTAINER_NAME, "app").build());
        Path file = dir.resolve(id + ".log");
        Files.writeString(file, log);
        logFiles.put(id, file);
    }

    private HttpResponse<String> get(String path, SSLContext tls) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOkToAClientWithAClusterSignedCertificate() throws Exception {
        HttpResponse<String> response = get("/healthz", pki.clientContext(pki.client));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void clientsWithoutACertificateOrWithAForeignOneGet401() throws Exception {
        assertThat(get("/healthz", pki.clientContext(null)).statusCode()).isEqualTo(401);
        TestPki.Issued otherCa = TestPki.selfSignedCa("someone-else");
        TestPki.Issued stranger = TestPki.issue("stranger", otherCa, KeyPurposeId.id_kp_clientAuth);
        assertThat(get("/containerLogs/default/web/app", pki.clientContext(stranger)).statusCode()).isEqualTo(401);
    }

    @Test
    void containerLogsServeTheCurrentOrPreviousInstance() throws Exception {
        addContainer("old", 1, "2026-11-23T10:00:00Z stdout F from the first run\n");
        addContainer("new", 2, "2026-11-23T10:01:00Z stdout F from the second run\n");
        SSLContext tls = pki.clientContext(pki.client);
        HttpResponse<String> current = get("/containerLogs/default/web/app", tls);
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.body()).isEqualTo("from the second run\n");
        assertThat(get("/containerLogs/default/web/app?previous=true", tls).body()).isEqualTo("from the first run\n");
    }

    @Test
    void containerLogErrorsNameWhatIsMissing() throws Exception {
        addContainer("only", 1, "2026-11-23T10:00:00Z stdout F hi\n");
        SSLContext tls = pki.clientContext(pki.client);
        HttpResponse<String> previous = get("/containerLogs/default/web/app?previous=1", tls);
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(previous.body()).isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
        HttpResponse<String> noPod = get("/containerLogs/default/nope/app", tls);
        assertThat(noPod.statusCode()).isEqualTo(404);
        assertThat(noPod.body()).isEqualTo("pod \"nope\" does not exist");
        HttpResponse<String> noContainer = get("/containerLogs/default/web/db", tls);
        assertThat(noContainer.statusCode()).isEqualTo(404);
        assertThat(noContainer.body()).isEqualTo("container \"db\" not found in pod \"web\"");
        HttpResponse<String> badTail = get("/containerLogs/default/web/app?tailLines=x", tls);
        assertThat(badTail.statusCode()).isEqualTo(400);
        assertThat(badTail.body()).contains("tailLines");
    }

    @Test
    void execWithoutAnUpgradeIsABadRequest() throws Exception {
        HttpResponse<String> response = get("/exec/default/web/app?command=ls&stdout=1", pki.clientContext(pki.client));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("Upgrade request required");
    }

    /** containerd 1.6 answers an unknown WebSocket subprotocol with a bare 403 and keeps the socket open. */
    @Test
    void aRefusedUpgradeReachesTheClientAsACompleteClosedResponse() throws Exception {
        addContainer("c1", 1, "");
        CompletableFuture<String> seen = fakeStreamingServer("HTTP/1.1 403 Forbidden\r\n\r\n", false);
        try (SSLSocket socket = clientSocket()) {
            send(socket, "GET /exec/default/web/app?command=sh&stdout=1 HTTP/1.1\r\nHost: kubelet\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n");
            String response = readToEnd(socket.getInputStream()); // fails on the socket timeout if never closed
            assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").contains("content-length: ");
        }
        assertThat(seen.get(5, TimeUnit.SECONDS)).startsWith("GET /exec/token123 HTTP/1.1\r\n")
                .contains("Sec-WebSocket-Protocol: v5.channel.k8s.io");
        assertThat(execCommands).containsExactly("sh");
    }

    @Test
    void anAcceptedUpgradeIsSplicedBothWays() throws Exception {
        addContainer("c1", 1, "");
        CompletableFuture<String> seen = fakeStreamingServer(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n", true);
        try (SSLSocket socket = clientSocket()) {
            send(socket, "POST /exec/default/web/app?command=echo&command=hi&output=1&error=1 HTTP/1.1\r\n"
                    + "Host: kubelet\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                    + "X-Stream-Protocol-Version: v5.channel.k8s.io\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .containsIgnoringCase("X-Stream-Protocol-Version: v4.channel.k8s.io");
            send(socket, "ping");
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("PING");
        }
        assertThat(seen.get(5, TimeUnit.SECONDS)).startsWith("POST /exec/token123 HTTP/1.1\r\n")
                .contains("Upgrade: SPDY/3.1").contains("X-Stream-Protocol-Version: v5.channel.k8s.io")
                .contains("X-Stream-Protocol-Version: v4.channel.k8s.io").containsIgnoringCase("Host: 127.0.0.1:");
        assertThat(execCommands).containsExactly("echo", "hi");
    }

    /** Accepts one connection, records the request head, answers, then echoes upper-cased or idles. */
    private CompletableFuture<String> fakeStreamingServer(String answer, boolean echo) {
        CompletableFuture<String> head = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = backend.accept()) {
                head.complete(readHead(s.getInputStream()));
                s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                int b;
                while ((b = s.getInputStream().read()) >= 0) {
                    if (echo) {
                        s.getOutputStream().write(Character.toUpperCase(b));
                        s.getOutputStream().flush();
                    }
                }
            } catch (IOException e) {
                head.completeExceptionally(e);
            }
        });
        return head;
    }

    private SSLSocket clientSocket() throws Exception {
        SSLSocket socket = (SSLSocket) pki.clientContext(pki.client).getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
