package io.jk8s.netty;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KeepAliveHttpClient} against the JDK's HTTP server (plain HTTP; TLS is covered by the scheduler's LeanApiWriterTest). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeepAliveHttpClientTest {

    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        clientPorts.add(ex.getRemoteAddress().getPort());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Content-Type")
                + " " + ex.getRequestHeaders().getFirst("Authorization") + " " + ex.getRequestHeaders().getFirst("User-Agent")
                + " " + body);
        byte[] answer = switch (ex.getRequestURI().getPath()) {
            case "/conflict" -> "{\"kind\":\"Status\",\"code\":409}".getBytes(StandardCharsets.UTF_8);
            default -> "{\"created\":true}".getBytes(StandardCharsets.UTF_8);
        };
        if (ex.getRequestURI().getPath().equals("/close")) {
            ex.getResponseHeaders().set("Connection", "close");
        }
        ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/conflict") ? 409 : 201, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    private KeepAliveHttpClient client(int port, int maxConnections) {
        return new KeepAliveHttpClient(URI.create("http://127.0.0.1:" + port), null, false,
                Map.of("User-Agent", "test-agent"), () -> "Bearer t0k3n", maxConnections, Duration.ofSeconds(5),
                Duration.ofSeconds(10), "test-http");
    }

    private static ByteBuf body(KeepAliveHttpClient c, String s) {
        return c.alloc().buffer().writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void postsTheBodyWithHeadersAndReusesOneConnection() throws Exception {
        try (KeepAliveHttpClient c = client(server.getAddress().getPort(), 4)) {
            for (int i = 0; i < 5; i++) {
                KeepAliveHttpClient.Response r = c.post("/api/v1/x?i=" + i, "application/json", body(c, "{\"n\":" + i + "}"));
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.isSuccess()).isTrue();
                assertThat(r.body()).as("success bodies are not kept").isEmpty();
            }
        }
        assertThat(requests).first().isEqualTo("POST /api/v1/x?i=0 application/json Bearer t0k3n test-agent {\"n\":0}");
        assertThat(requests).hasSize(5);
        assertThat(clientPorts).as("sequential requests share one keep-alive connection").hasSize(1);
    }

    @Test
    void aFailureKeepsItsBody() throws Exception {
        try (KeepAliveHttpClient c = client(server.getAddress().getPort(), 1)) {
            KeepAliveHttpClient.Response r = c.post("/conflict", "application/json", body(c, "{}"));
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.isSuccess()).isFalse();
            assertThat(r.body()).isEqualTo("{\"kind\":\"Status\",\"code\":409}");
            // The connection is still usable after an error answer.
            assertThat(c.post("/ok", "application/json", body(c, "{}")).status()).isEqualTo(201);
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void aConnectionTheServerClosesIsNotReused() throws Exception {
        try (KeepAliveHttpClient c = client(server.getAddress().getPort(), 1)) {
            assertThat(c.post("/close", "application/json", body(c, "{}")).status()).isEqualTo(201);
            assertThat(c.post("/close", "application/json", body(c, "{}")).status()).isEqualTo(201);
            assertThat(c.post("/ok", "application/json", body(c, "{}")).status()).isEqualTo(201);
        }
        assertThat(clientPorts).hasSize(3);
    }

    @Test
    void aServerThatIsNotThereIsAnIOException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (KeepAliveHttpClient c = client(port, 1)) {
            assertThatThrownBy(() -> c.post("/ok", "application/json", body(c, "{}")))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
        }
    }
}
