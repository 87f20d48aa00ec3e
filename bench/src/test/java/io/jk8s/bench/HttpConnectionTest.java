package io.jk8s.bench;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.net.SocketFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpConnectionTest {

    /** Serves {@code responses} in order on one connection, each after reading one request head. */
    private static ServerSocket serve(String... responses) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String r : responses) {
                    readHead(in);
                    out.write(r.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                in.read(); // wait for the client to close
            } catch (Exception ignored) {
                // test server: the assertions are on the client side
            }
        });
        return server;
    }

    private static void readHead(InputStream in) throws Exception {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return;
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void readsContentLengthAndChunkedBodiesOnOneKeepAliveConnection() throws Exception {
        try (ServerSocket server = serve(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"b\r\n4\r\n\":2}\r\n0\r\n\r\n");
             HttpConnection conn = new HttpConnection(SocketFactory.getDefault(), "127.0.0.1", server.getLocalPort(), null)) {
            HttpConnection.Response created = conn.send("POST", "/x", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.text()).isEqualTo("{\"a\":1}");
            HttpConnection.Response listed = conn.send("GET", "/y", null, null);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.text()).isEqualTo("{\"b\":2}");
        }
    }

    @Test
    void streamsNewlineDelimitedEventsAcrossChunkBoundaries() throws Exception {
        try (ServerSocket server = serve(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{\"e\":1\r\n5\r\n}\n{\"e\r\n4\r\n\":2}\r\n1\r\n\n\r\n0\r\n\r\n");
             HttpConnection conn = new HttpConnection(SocketFactory.getDefault(), "127.0.0.1", server.getLocalPort(), null)) {
            assertThat(conn.openStream("/watch")).isEqualTo(200);
            assertThat(conn.nextLine()).isEqualTo("{\"e\":1}");
            assertThat(conn.nextLine()).isEqualTo("{\"e\":2}");
            assertThatThrownBy(conn::nextLine).isInstanceOf(EOFException.class);
        }
    }
}
