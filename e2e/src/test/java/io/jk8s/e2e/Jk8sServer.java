package io.jk8s.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real {@code jk8s server} process started from the launcher jar, the way a user starts it,
 * on a private data directory and a port in the suite's range. Readiness is {@code /readyz}
 * answered 200 to the admin client certificate over TLS verified against the cluster CA.
 */
public final class Jk8sServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final Path log;
    private final List<String> extraArgs;
    private final boolean withAgent;
    private Process process;
    private Duration lastStartup = Duration.ZERO;

    private Jk8sServer(Path dataDir, int port, List<String> extraArgs, boolean withAgent) {
        this.withAgent = withAgent;
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    /** Starts a server on a fresh port and waits until it is ready. */
    public static Jk8sServer start(Path dataDir) {
        return start(dataDir, List.of());
    }

    /** As {@link #start(Path)}, with more {@code jk8s server} flags (e.g. {@code --etcd-endpoints}). */
    public static Jk8sServer start(Path dataDir, List<String> extraArgs) {
        Jk8sServer server = new Jk8sServer(dataDir, PortPicker.freePort(), extraArgs, false);
        server.startProcess();
        return server;
    }

    /** A whole one-machine cluster: also runs this machine's agent (containerd, kubelet, proxy); needs root. */
    public static Jk8sServer startWithAgent(Path dataDir) {
        return startWithAgent(dataDir, List.of());
    }

    /** As {@link #startWithAgent(Path)}, with more {@code jk8s server} flags (e.g. {@code --resolv-conf}). */
    public static Jk8sServer startWithAgent(Path dataDir, List<String> extraArgs) {
        Jk8sServer server = new Jk8sServer(dataDir, PortPicker.freePort(), extraArgs, true);
        server.startProcess();
        return server;
    }

    /** The launcher jar built by the cli module (override with -Djk8s.jar=...). */
    static Path jar() {
        String override = System.getProperty("jk8s.jar");
        Path jar = override != null ? Path.of(override) : Path.of("..", "cli", "target", "jk8s-all.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("launcher jar not found at " + jar.toAbsolutePath()
                    + " (build the cli module first: mvn -pl cli install)");
        }
        return jar.toAbsolutePath().normalize();
    }

    /** Starts the process again on the same data directory and port (after {@link #kill9} or {@link #stop}). */
    public void restart() {
        startProcess();
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", jar().toString(),
                "server", "--data-dir", dataDir.toString(), "--https-port", Integer.toString(port)));
        if (!withAgent) command.add("--disable-agent");
        command.addAll(extraArgs);
        Instant begin = Instant.now();
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        // If the test JVM dies (killed fork, Ctrl-C), the server must not outlive it.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "jk8s-e2e-reaper"));
        awaitReady();
        lastStartup = Duration.between(begin, Instant.now());
    }

    private void awaitReady() {
        String[] lastProblem = {"not tried"};
        try {
            org.awaitility.Awaitility.await("jk8s /readyz").atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50)).until(() -> isReady(lastProblem));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("jk8s server not ready after " + READY_TIMEOUT + " (" + lastProblem[0] + ")\n"
                    + logTail(), e);
        }
    }

    private boolean isReady(String[] lastProblem) {
        if (!process.isAlive()) {
            throw new IllegalStateException("jk8s server exited with " + process.exitValue() + "\n" + logTail());
        }
        if (!Files.exists(kubeconfig())) {
            lastProblem[0] = "no admin.kubeconfig yet";
            return false;
        }
        try {
            HttpResponse<String> response = get("/readyz");
            lastProblem[0] = "/readyz answered " + response.statusCode() + ": " + response.body();
            return response.statusCode() == 200;
        } catch (IOException | IllegalStateException e) {
            lastProblem[0] = e.toString();
            return false;
        }
    }

    /** GET over TLS with the admin client certificate, trusting only the cluster CA. */
    public HttpResponse<String> get(String path) throws IOException {
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(adminTls()).connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private SSLContext adminTls() {
        try {
            Path tls = dataDir.resolve("server/tls");
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(tls.resolve("ca.crt"))) {
                trust.setCertificateEntry("ca", x509.generateCertificate(in));
            }
            Certificate clientCert;
            try (InputStream in = Files.newInputStream(tls.resolve("client-admin.crt"))) {
                clientCert = x509.generateCertificate(in);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", pkcs8Key(tls.resolve("client-admin.key")), new char[0], new Certificate[] {clientCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the cluster's TLS files", e);
        }
    }

    private static PrivateKey pkcs8Key(Path file) throws IOException, java.security.GeneralSecurityException {
        String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    /** Wall time from process start to ready on the last (re)start. */
    public Duration lastStartup() {
        return lastStartup;
    }

    /** Kills the process without letting it shut down (SIGKILL), as a crash or power loss would. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM, as Ctrl-C or systemd would; returns the exit code. */
    public int stop() {
        process.destroy();
        return waitForExit();
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The end of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            String state = process == null ? "not started" : process.isAlive() ? "running" : "exited with " + process.exitValue();
            return "--- server log (" + log + "; process " + state + ") ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }
}
