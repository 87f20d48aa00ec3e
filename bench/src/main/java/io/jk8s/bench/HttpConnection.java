package io.jk8s.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * One keep-alive HTTP/1.1 connection, used by one load-generating thread at a time.
 *
 * <p>Deliberately minimal (no pooling, no redirects, no compression): on a 2-core machine the JDK
 * HttpClient cost about 40% of the CPU of an API benchmark, which then measured the client as much
 * as the server. Writing the request bytes and parsing status, headers and a Content-Length or
 * chunked body is all an API benchmark needs.
 */
final class HttpConnection implements Closeable {

    /** Status code and body of one response. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String hostHeader;
    private final String authorization;

    HttpConnection(SocketFactory factory, String host, int port, String bearerToken) throws IOException {
        this.socket = factory.createSocket(host, port);
        this.socket.setTcpNoDelay(true);
        // Handshake now, not inside the first timed request: a client keeps its connection, and 64
        // handshakes at once (ECDSA, client certificate) would otherwise be timed as request latency.
        if (socket instanceof javax.net.ssl.SSLSocket tls) tls.startHandshake();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        this.hostHeader = host + ":" + port;
        this.authorization = bearerToken == null ? "" : "Authorization: Bearer " + bearerToken + "\r\n";
    }

    /** Sends one request and reads the whole response. */
    Response send(String method, String path, byte[] body, String contentType) throws IOException {
        writeRequest(method, path, body, contentType);
        int status = readHead();
        return new Response(status, readBody());
    }

    /**
     * Starts a streaming GET (a watch) and returns its status; afterwards {@link #nextLine()} returns
     * the body's newline-delimited events as they arrive.
     */
    int openStream(String path) throws IOException {
        writeRequest("GET", path, null, null);
        return readHead();
    }

    /** The next newline-terminated line of a streamed chunked body, without the newline. */
    String nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        while (true) {
            if (chunkLeft == 0) {
                if (chunkedStreamStarted) readLine(); // CRLF after the previous chunk's data
                chunkedStreamStarted = true;
                chunkLeft = Integer.parseInt(readLine().trim(), 16);
                if (chunkLeft == 0) throw new EOFException("stream ended");
            }
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed");
            chunkLeft--;
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
    }

    private int chunkLeft;
    private boolean chunkedStreamStarted;
    private long contentLength;
    private boolean chunked;

    private void writeRequest(String method, String path, byte[] body, String contentType) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Accept: application/json\r\n")
                .append("User-Agent: jk8s-bench\r\n")
                .append(authorization);
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            out.write(headBytes);
        } else {
            byte[] all = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            out.write(all); // one write: one TLS record, one segment for small requests
        }
        out.flush();
    }

    private int readHead() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        contentLength = -1;
        chunked = false;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) contentLength = Long.parseLong(value);
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
        }
        chunkLeft = 0;
        chunkedStreamStarted = false;
        return status;
    }

    private byte[] readBody() throws IOException {
        if (chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
            while (true) {
                int size = Integer.parseInt(readLine().trim(), 16);
                if (size == 0) {
                    readLine(); // the empty trailer line
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine();
            }
        }
        if (contentLength < 0) throw new IOException("response without Content-Length or chunked encoding");
        byte[] body = in.readNBytes((int) contentLength);
        if (body.length != contentLength) throw new EOFException("body truncated");
        return body;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed");
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
