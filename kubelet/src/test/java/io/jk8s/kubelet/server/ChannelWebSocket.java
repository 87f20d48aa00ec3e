package io.jk8s.kubelet.server;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client for Kubernetes' channel WebSocket protocol ({@code v4.channel.k8s.io}): every
 * binary message starts with a channel byte (exec: 0 stdin, 1 stdout, 2 stderr, 3 status;
 * port-forward: 2i data and 2i+1 error of the i-th port). Collects what arrives per channel.
 */
public final class ChannelWebSocket implements WebSocket.Listener {

    private final Map<Integer, ByteArrayOutputStream> channels = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private WebSocket socket;

    public static ChannelWebSocket open(SSLContext tls, URI uri, String protocol) {
        ChannelWebSocket listener = new ChannelWebSocket();
        listener.socket = HttpClient.newBuilder().sslContext(tls).build().newWebSocketBuilder()
                .subprotocols(protocol).connectTimeout(java.time.Duration.ofSeconds(10))
                .buildAsync(uri, listener).orTimeout(20, TimeUnit.SECONDS).join();
        return listener;
    }

    public void send(int channel, byte[] data) {
        ByteBuffer frame = ByteBuffer.allocate(data.length + 1).put((byte) channel).put(data).flip();
        socket.sendBinary(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public synchronized String text(int channel) {
        ByteArrayOutputStream data = channels.get(channel);
        return data == null ? "" : data.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public synchronized byte[] bytes(int channel) {
        ByteArrayOutputStream data = channels.get(channel);
        return data == null ? new byte[0] : data.toByteArray();
    }

    /** Waits (bounded) until the channel's text satisfies {@code condition}. */
    public String awaitText(int channel, Predicate<String> condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (this) {
            while (!condition.test(text(channel))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("channel " + channel + " never matched; has \"" + text(channel) + "\"");
                }
                wait(left);
            }
            return text(channel);
        }
    }

    public CompletableFuture<Void> closed() {
        return closed;
    }

    public void close() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.writeBytes(bytes);
        if (last) {
            byte[] message = partial.toByteArray();
            partial = new ByteArrayOutputStream();
            if (message.length > 0) {
                synchronized (this) {
                    channels.computeIfAbsent(message[0] & 0xff, c -> new ByteArrayOutputStream())
                            .write(message, 1, message.length - 1);
                    notifyAll();
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
