package io.jk8s.apiserver.http;

/**
 * Writes the one response to one request, from any thread. Either {@link #send} once, or
 * {@link #stream} and then write chunks until the stream is closed.
 */
public interface Responder {

    /** Adds a response header to whatever is sent next (e.g. {@code Warning}). */
    void header(String name, String value);

    /** A complete response. */
    void send(int status, String contentType, byte[] body);

    /** Starts a chunked response (watch, log follow); the returned stream is thread-safe. */
    ResponseStream stream(int status, String contentType);

    /** True once something was sent or a stream was started. */
    boolean started();

    /** The connection itself, for upgrade proxies; empty where there is none (tests). */
    default java.util.Optional<RawConnection> rawConnection() {
        return java.util.Optional.empty();
    }
}
