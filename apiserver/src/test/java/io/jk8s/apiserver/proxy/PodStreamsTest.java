package io.jk8s.apiserver.proxy;

import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.testing.TestPki;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** pods/log, exec through a fake HTTPS kubelet that requires the API server's client certificate. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class PodStreamsTest {

    @TempDir
    static Path dir;
    static FakeKubelet kubelet;
    static MemoryStore store;
    static ApiServer server;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki("jk8s-test-ca");
        Files.writeString(dir.resolve("ca.crt"), pki.ca().certPem());
        pki.issue("CN=n1", true).write(dir.resolve("kubelet.crt"), dir.resolve("kubelet.key"));
        pki.issue("CN=kube-apiserver-kubelet-client,O=system:masters", false)
                .write(dir.resolve("client.crt"), dir.resolve("client.key"));
        kubelet = new FakeKubelet(dir.resolve("kubelet.crt"), dir.resolve("kubelet.key"), dir.resolve("ca.crt"));
        store = new MemoryStore();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null)
                .withKubeletClient(new KubeletClientTls(dir.resolve("client.crt"), dir.resolve("client.key"), dir.resolve("ca.crt"))),
                store, BuiltinRegistry.create());
        server.start().get(30, TimeUnit.SECONDS);
        call("POST", "/api/v1/nodes", "application/json", "{\"metadata\":{\"name\":\"n1\"}}", 201);
        call("PATCH", "/api/v1/nodes/n1/status", "application/merge-patch+json",
                "{\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"n1\"},{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port() + "}}}}", 200);
        pod("one", "n1", "{\"name\":\"c\",\"image\":\"busybox\"}");
        pod("gone", "n1", "{\"name\":\"c\",\"image\":\"busybox\"}");
        pod("pending", null, "{\"name\":\"c\",\"image\":\"busybox\"}");
        pod("two", "n1", "{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
        kubelet.close();
    }

    private static void pod(String name, String node, String containers) {
        String inits = name.equals("two") ? ",\"initContainers\":[{\"name\":\"i\",\"image\":\"busybox\"}]" : "";
        call("POST", "/api/v1/namespaces/default/pods", "application/json", "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + (node == null ? "" : "\"nodeName\":\"" + node + "\",") + "\"containers\":[" + containers + "]" + inits + "}}", 201);
    }

    private static HttpResponse<String> call(String method, String path, String type, String body, int expected) {
        HttpResponse<String> r = get(method, path, type, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return r;
    }

    private static HttpResponse<String> get(String method, String path, String type, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (type != null) b.header("Content-Type", type);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void followedLogStreamsEachLineAsTheKubeletSendsItAndEndsWithIt() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/namespaces/default/pods/one/log?follow=true&tailLines=5")).build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("one");
            kubelet.sendLogLine("two\n");
            assertThat(lines.readLine()).isEqualTo("two");
            kubelet.endLogs();
            assertThat(lines.readLine()).isNull();
        }
        FakeKubelet.Seen seen = kubelet.requests.stream().filter(s -> s.uri().contains("tailLines")).findFirst().orElseThrow();
        assertThat(seen.uri()).isEqualTo("/containerLogs/default/one/c?follow=true&tailLines=5");
        assertThat(seen.clientSubject()).contains("CN=kube-apiserver-kubelet-client");
    }

    @Test
    void aPodWithSeveralContainersNeedsOneNamed() {
        HttpResponse<String> r = call("GET", "/api/v1/namespaces/default/pods/two/log", null, null, 400);
        assertThat(r.body()).contains("\"message\":\"a container name must be specified for pod two, choose one of: [a b] "
                + "or one of the init containers: [i]\"").contains("\"reason\":\"BadRequest\"");
        assertThat(call("GET", "/api/v1/namespaces/default/pods/one/log?container=x", null, null, 400).body())
                .contains("container x is not valid for pod one");
    }

    @Test
    void missingPodUnscheduledPodAndBadOptionsAreStatusErrors() {
        assertThat(call("POST", "/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true", null, null, 404).body())
                .contains("pods \\\"nope\\\" not found");
        assertThat(call("POST", "/api/v1/namespaces/default/pods/pending/exec?command=ls&stdout=true", null, null, 400).body())
                .contains("pod pending does not have a host assigned");
        assertThat(call("GET", "/api/v1/namespaces/default/pods/one/log?tailLines=-1", null, null, 422).body())
                .contains("tailLines: Invalid value: -1: must be greater than or equal to 0");
        assertThat(call("GET", "/api/v1/namespaces/default/pods/one/log?limitBytes=x", null, null, 400).body())
                .contains("limitBytes");
    }

    @Test
    void kubeletErrorsKeepTheirCodeAndText() {
        assertThat(call("GET", "/api/v1/namespaces/default/pods/gone/log", null, null, 404).body())
                .contains("container \\\"c\\\" in pod \\\"gone\\\" is not available").contains("\"reason\":\"NotFound\"");
    }

    @Test
    void spdyExecUpgradeIsRelayedAndThenSplicedBothWays() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/namespaces/default/pods/one/exec?command=echo&command=hi%20there&stdout=true&tty=false HTTP/1.1\r\n"
                    + "Host: api\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: SPDY/3.1")
                    .containsIgnoringCase("X-Stream-Protocol-Version: v4.channel.k8s.io");
            byte[] frame = new byte[]{(byte) 0x80, 3, 0, 1, 'p', 'i', 'n', 'g', '\r', '\n', '\r', '\n'};
            out.write(frame);
            out.flush();
            assertThat(s.getInputStream().readNBytes(frame.length)).isEqualTo(frame);
        }
        FakeKubelet.Seen seen = kubelet.requests.stream().filter(r -> r.uri().startsWith("/exec/")).findFirst().orElseThrow();
        assertThat(seen.uri()).isEqualTo("/exec/default/one/c?output=1&command=echo&command=hi%20there");
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.headers().get("Upgrade")).isEqualTo("SPDY/3.1");
        assertThat(seen.headers().get("Host")).isEqualTo("127.0.0.1:" + kubelet.port());
    }

    @Test
    void aRefusedWebSocketUpgradeReachesTheClientAsTheKubeletsAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/namespaces/default/pods/one/exec?command=ls&stdout=true HTTP/1.1\r\n"
                    + "Host: api\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void theKubeletConnectionClosesWhenTheLogClientGoes() throws Exception {
        int before = kubelet.logStreams.size();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/namespaces/default/pods/one/log?follow=true")).build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        res.body().readNBytes(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> kubelet.logStreams.size() > before);
        var stream = kubelet.logStreams.get(kubelet.logStreams.size() - 1);
        res.body().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.isActive());
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
