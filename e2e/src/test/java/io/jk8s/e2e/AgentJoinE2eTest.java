package io.jk8s.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A machine joins with a bootstrap token: {@code jk8s token create} on the server, {@code jk8s agent
 * --server --token} (here in the host network namespace, with its own data directory and node name,
 * against a server without its own agent). The node's CSR is auto-approved and signed, the Node
 * registers and turns Ready; a wrong CA hash, an expired and a deleted token are refused; the agent
 * restarts on its stored certificate and re-registers a deleted Node. Another CSR stays Pending until
 * {@code kubectl certificate approve}, then is issued.
 */
@Tag("containerd")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AgentJoinE2eTest {

    private static final Pattern PRINTED = Pattern.compile("jk8s agent --server (https://\\S+) --token (K10([0-9a-f]{64})::(([a-z0-9]{6})\\.[a-z0-9]{16}))");
    private static final String NODE = "e2e-joined";

    @Test
    void agentJoinsWithBootstrapTokenAndRestartsOnItsCertificate() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agent needs root (containerd, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-join-");
        Path agentData = dir.resolve("agent");
        Process agent = null;
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("server"))) {
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));

            Matcher good = tokenCreate(server, "1h");
            String url = good.group(1);
            assertThat(url).as("printed server address").startsWith("https://").endsWith(":" + server.port());
            String token = good.group(2);

            // A token whose CA hash is not the server's: refused before the token is sent, so no CSR exists.
            String wrongHash = "K10" + "0".repeat(64) + "::" + good.group(4);
            Run refused = jk8s(dir, "agent", "--server", url, "--token", wrongHash, "--data-dir", dir.resolve("wrong").toString(), "--node-name", "e2e-wrong");
            assertThat(refused.exitCode).as(refused.output).isNotZero();
            assertThat(refused.output).contains("refusing to send the token").contains("sha256:" + good.group(3));
            assertThat(ok(kubectl.run("get", "csr", "-o", "name"))).doesNotContain("e2e-wrong");

            // An expired token: the API answers 401 once it lapses, and the agent says so.
            Matcher expired = tokenCreate(server, "1s");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> bearerStatus(url, expired.group(4)) == 401);
            Run late = jk8s(dir, "agent", "--server", url, "--token", expired.group(2), "--data-dir", dir.resolve("expired").toString(), "--node-name", "e2e-expired");
            assertThat(late.exitCode).as(late.output).isNotZero();
            assertThat(late.output).contains("rejected the bootstrap token");

            // A deleted token.
            Matcher deleted = tokenCreate(server, "1h");
            ok(kubectl.run("-n", "kube-system", "delete", "secret", "bootstrap-token-" + deleted.group(5)));
            Run gone = jk8s(dir, "agent", "--server", url, "--token", deleted.group(2), "--data-dir", dir.resolve("deleted").toString(), "--node-name", "e2e-deleted");
            assertThat(gone.exitCode).as(gone.output).isNotZero();
            assertThat(gone.output).contains("rejected the bootstrap token");

            // A CSR that is not a node's joining: left Pending for a human.
            ok(kubectl.run("create", "-f", Kubectl.manifest(dir, "alice-csr.yaml", """
                    apiVersion: certificates.k8s.io/v1
                    kind: CertificateSigningRequest
                    metadata:
                      name: alice
                    spec:
                      signerName: kubernetes.io/kube-apiserver-client
                      usages: ["digital signature", "client auth"]
                      request: %s
                    """.formatted(pkcs10("CN=alice,O=devs"))).toString()));

            // The real join: CSR approved and issued for the bootstrap user, Node Ready, pod range from node IPAM.
            agent = startAgent(dir, url, token, agentData);
            awaitReady(kubectl, agent, dir);
            assertThat(ok(kubectl.run("get", "csr", "alice", "--no-headers"))).contains("Pending");
            ok(kubectl.run("certificate", "approve", "alice"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ok(kubectl.run("get", "csr", "alice", "--no-headers"))).contains("Approved,Issued"));
            String issued = new String(java.util.Base64.getDecoder().decode(
                    ok(kubectl.run("get", "csr", "alice", "-o", "jsonpath={.status.certificate}")).strip()));
            X509Certificate alice = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(issued.getBytes()));
            assertThat(alice.getSubjectX500Principal().getName()).contains("CN=alice").contains("O=devs");
            String csr = ok(kubectl.run("get", "csr", "-o", "jsonpath={range .items[*]}{.spec.username} {.spec.signerName} {.status.conditions[0].type}{\"\\n\"}{end}"));
            assertThat(csr).contains("system:bootstrap:" + good.group(5) + " kubernetes.io/kube-apiserver-client-kubelet Approved");
            assertThat(ok(kubectl.run("get", "node", NODE, "-o", "jsonpath={.spec.podCIDR}"))).startsWith("10.244.");
            assertThat(agentData.resolve("agent/kubelet.kubeconfig")).exists();

            // Leave and come back: the token is gone now, the stored node certificate is enough.
            agent.destroy();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            ok(kubectl.run("-n", "kube-system", "delete", "secret", "bootstrap-token-" + good.group(5)));
            ok(kubectl.run("delete", "node", NODE));
            agent = startAgent(dir, url, token, agentData);
            awaitReady(kubectl, agent, dir);
            assertThat(Files.readString(dir.resolve("agent.log"))).contains("reusing the node certificate");
        } finally {
            if (agent != null) {
                agent.destroy();
                if (!agent.waitFor(60, TimeUnit.SECONDS)) agent.destroyForcibly();
            }
            // No pod ran on the joined node, so the CNI bridge was never created: only containerd is left to stop.
            stopContainerdUnder(dir);
            AgentHostState.remove(); // the agent's pod network: routes, jk8s.1, jk8s-svc0, chains
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Matcher tokenCreate(Jk8sServer server, String ttl) throws Exception {
        Run r = jk8s(server.dataDir().getParent(), "token", "create", "--kubeconfig", server.kubeconfig().toString(), "--ttl", ttl);
        assertThat(r.exitCode).as(r.output).isZero();
        Matcher m = PRINTED.matcher(r.output);
        assertThat(m.find()).as("token create printed the agent command:%n%s", r.output).isTrue();
        return m;
    }

    private static Process startAgent(Path dir, String url, String token, Path agentData) throws IOException {
        return new ProcessBuilder(command("agent", "--server", url, "--token", token, "--data-dir", agentData.toString(),
                "--node-name", NODE)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start();
    }

    private static void awaitReady(Kubectl kubectl, Process agent, Path dir) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(agent.isAlive()).as("agent exited:%n%s", Files.readString(dir.resolve("agent.log"))).isTrue();
            assertThat(kubectl.run("get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout())
                    .isEqualTo("True");
        });
    }

    /** Status of a request with the bare bootstrap token (TLS not verified: only the status matters here). */
    private static int bearerStatus(String url, String bootstrapToken) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/apis/certificates.k8s.io/v1/certificatesigningrequests"))
                .header("Authorization", "Bearer " + bootstrapToken).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    /** base64 of a PEM PKCS#10 request with a fresh EC key, as {@code spec.request} carries it. */
    private static String pkcs10(String subject) throws Exception {
        var gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        var key = gen.generateKeyPair();
        var req = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name(subject), key.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        java.io.StringWriter pem = new java.io.StringWriter();
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
            w.writeObject(req);
        }
        return java.util.Base64.getEncoder().encodeToString(pem.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private record Run(int exitCode, String output) {}

    private static Run jk8s(Path dir, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "jk8s-", ".out");
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jk8s " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", Jk8sServer.jar().toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** The agent leaves its containerd running for the next agent (pods survive); the test stops the one under its directory. */
    private static void stopContainerdUnder(Path dir) {
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains("containerd") && cmd.contains(dir.toString())).orElse(false))
                .forEach(p -> {
                    p.destroy();
                    p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                        p.destroyForcibly();
                        return p;
                    }).join();
                });
    }
}
