package io.jk8s.store.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test fixture: a real etcd cluster of 1 or 3 members ({@code /usr/bin/etcd}) on loopback, each in
 * its own temporary directory, on ports from 23790–23899. Members can be killed (SIGKILL) and
 * restarted. {@link #close()} kills every member and deletes the directories.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final int FIRST_PORT = 23790;
    private static final int LAST_PORT = 23899;
    private static final Object PORTS = new Object();
    private static int nextPort = FIRST_PORT;

    private final Path dir;
    private final List<Member> members = new ArrayList<>();
    private final String initialCluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** One member: its ports, its data directory and, while running, its process. */
    public static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        Process process;

        Member(String name, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
        }

        public String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }
    }

    private final Thread cleanupOnExit = new Thread(this::close, "etcd-cluster-cleanup");

    private EtcdCluster(int size) throws IOException {
        this.dir = Files.createTempDirectory("jk8s-etcd-");
        // A test JVM that exits without closing (timeout, System.exit) must not leave etcd running.
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int[] ports = freePorts(2);
            Member m = new Member("m" + i, ports[0], ports[1], dir.resolve("m" + i));
            members.add(m);
            peers.add(m.name + "=" + m.peerUrl());
        }
        this.initialCluster = String.join(",", peers);
    }

    /** Starts a cluster of {@code size} members and waits until every member reports healthy. */
    public static EtcdCluster start(int size) {
        EtcdCluster c = null;
        try {
            c = new EtcdCluster(size);
            for (Member m : c.members) {
                c.launch(m, "new");
            }
            for (Member m : c.members) {
                c.awaitHealthy(m, Duration.ofSeconds(30));
            }
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close();
            }
            throw new IllegalStateException("could not start etcd: " + e.getMessage(), e);
        }
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    public List<String> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    /** SIGKILLs one member and waits for the process to be gone. */
    public void kill(Member m) {
        if (m.process != null) {
            m.process.destroyForcibly();
            try {
                m.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Restarts a killed member from its data directory and waits for it to be healthy. */
    public void restart(Member m) {
        try {
            launch(m, "existing");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        awaitHealthy(m, Duration.ofSeconds(30));
    }

    private void launch(Member m, String state) throws IOException {
        Files.createDirectories(m.dataDir);
        List<String> cmd = List.of("/usr/bin/etcd",
                "--name", m.name,
                "--data-dir", m.dataDir.toString(),
                "--listen-client-urls", m.clientUrl(),
                "--advertise-client-urls", m.clientUrl(),
                "--listen-peer-urls", m.peerUrl(),
                "--initial-advertise-peer-urls", m.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", state,
                "--initial-cluster-token", "jk8s-test-" + dir.getFileName(),
                "--heartbeat-interval", "50",
                "--election-timeout", "500",
                "--log-level", "warn");
        m.process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(m.name + ".log").toFile())
                .start();
    }

    private void awaitHealthy(Member m, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest req = HttpRequest.newBuilder(URI.create(m.clientUrl() + "/health")).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!m.process.isAlive()) {
                throw new IllegalStateException("etcd member " + m.name + " exited: " + tail(m));
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50); // polling interval of a health probe
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("etcd member " + m.name + " not healthy after " + timeout + ": " + tail(m));
    }

    private String tail(Member m) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(m.name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Reserves {@code n} ports of the fixture's range that nothing listens on right now. */
    private static int[] freePorts(int n) {
        synchronized (PORTS) {
            int[] out = new int[n];
            int found = 0;
            for (int tries = 0; found < n && tries <= LAST_PORT - FIRST_PORT; tries++) {
                int p = nextPort;
                nextPort = p == LAST_PORT ? FIRST_PORT : p + 1;
                if (isFree(p)) {
                    out[found++] = p;
                }
            }
            if (found < n) {
                throw new IllegalStateException("no free ports left in " + FIRST_PORT + "-" + LAST_PORT);
            }
            return out;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: we are the hook
        }
        for (Member m : members) {
            kill(m);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp directory
        }
    }
}
