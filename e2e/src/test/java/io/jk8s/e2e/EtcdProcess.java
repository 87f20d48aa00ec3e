package io.jk8s.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A real single-member etcd (Debian's /usr/bin/etcd) on loopback ports of the suite's range. */
final class EtcdProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/etcd");

    private final Process process;
    private final int clientPort;
    private final Path log;

    private EtcdProcess(Process process, int clientPort, Path log) {
        this.process = process;
        this.clientPort = clientPort;
        this.log = log;
    }

    static EtcdProcess start(Path dir) throws IOException {
        int clientPort = PortPicker.freePort();
        int peerPort = PortPicker.freePort();
        while (peerPort == clientPort) {
            peerPort = PortPicker.freePort();
        }
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Files.createDirectories(dir);
        Path log = dir.resolve("etcd.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--name", "e2e", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "e2e=" + peer, "--listen-metrics-urls", "")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EtcdProcess etcd = new EtcdProcess(process, clientPort, log);
        etcd.awaitHealthy();
        return etcd;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("etcd /health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsMatching(e -> e instanceof IOException)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("etcd exited:\n" + Files.readString(log));
                    }
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("true");
                });
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
