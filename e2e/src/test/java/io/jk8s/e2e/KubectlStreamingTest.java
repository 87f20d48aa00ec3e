package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kubectl's streaming commands on a whole one-machine cluster: the API server proxies pods/log, exec,
 * attach and portforward to the kubelet's HTTPS server, which reaches containerd. kubectl 1.32 (WebSocket
 * first, SPDY fallback) and 1.27 (SPDY only) exec, logs with -c/--tail/-f/--previous, exec -i and -it,
 * cp both ways, and port-forward to busybox httpd.
 */
@Tag("containerd")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KubectlStreamingTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: streams
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: talker
                image: busybox:1.35
                command: ["sh", "-c", "echo started; while true; do if [ -f /tmp/say ]; then cat /tmp/say; rm /tmp/say; fi; \
            if [ -f /tmp/exit ]; then echo bye; exit 3; fi; sleep 0.2; done"]
              - name: web
                image: busybox:1.35
                command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            """;

    @Test
    void logsExecCopyAndPortForwardReachTheContainers() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agent needs root (containerd, netns, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-e2e-");
        int kubeletPort = PortPicker.freePort();
        try (Jk8sServer server = Jk8sServer.startWithAgent(dir.resolve("data"), List.of("--kubelet-port", Integer.toString(kubeletPort)))) {
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("get", "nodes", "--no-headers"))).contains(" Ready "));
                ok(kubectl.run("apply", "-f", Kubectl.manifest(dir, "pod.yaml", POD).toString()));
                // kubectl.run gives up after 30 s; the first start builds the images, so wait in short rounds.
                await().atMost(Duration.ofSeconds(150)).untilAsserted(() ->
                        ok(kubectl.run("wait", "--for=condition=Ready", "pod/streams", "--timeout=20s")));

                // logs: -c, then lines written later, --tail
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("logs", "streams", "-c", "talker"))).isEqualTo("started\n"));
                try (Kubectl.Background follow = kubectl.start("logs", "-f", "streams", "-c", "talker")) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> follow.stdout().contains("started"));
                    say(kubectl, "first\\nsecond\\n");
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(follow.stdout()).as(follow.describe()).contains("second"));
                }
                assertThat(ok(kubectl.run("logs", "streams", "-c", "talker", "--tail=1"))).isEqualTo("second\n");

                // exec: 1.32 (WebSocket, or SPDY after an upgrade failure) and 1.27 (SPDY)
                assertThat(ok(kubectl.run("exec", "streams", "-c", "talker", "--", "echo", "hi"))).isEqualTo("hi\n");
                Kubectl old = new Kubectl(Kubectl.KUBECTL_1_27, server.kubeconfig(), dir.resolve("kube-cache"));
                assertThat(ok(old.run("exec", "streams", "-c", "talker", "--", "echo", "from", "1.27"))).isEqualTo("from 1.27\n");
                var failing = kubectl.run("exec", "streams", "-c", "talker", "--", "sh", "-c", "exit 7");
                assertThat(failing.exitCode()).as(failing.describe()).isEqualTo(7);
                assertThat(ok(kubectl.runWithInput("through stdin\n", "exec", "-i", "streams", "-c", "talker", "--", "cat")))
                        .isEqualTo("through stdin\n");
                String tty = runInPty(server, dir, "exec -it streams -c talker -- sh -c 'tty; echo $((6*7))'");
                assertThat(tty).contains("/dev/pts/").contains("42");

                // attach: what the container prints from now on
                try (Kubectl.Background attach = kubectl.start("attach", "streams", "-c", "talker")) {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        say(kubectl, "attached\\n");
                        assertThat(attach.stdout()).as(attach.describe()).contains("attached");
                    });
                }

                // cp both ways (tar through exec)
                Path local = Files.writeString(dir.resolve("up.txt"), "copied up\n");
                ok(kubectl.run("cp", local.toString(), "streams:/tmp/up.txt", "-c", "talker"));
                assertThat(ok(kubectl.run("exec", "streams", "-c", "talker", "--", "cat", "/tmp/up.txt"))).isEqualTo("copied up\n");
                Path down = dir.resolve("down.txt");
                ok(kubectl.run("cp", "streams:/etc/hostname", down.toString(), "-c", "talker"));
                assertThat(Files.readString(down).strip()).isEqualTo("streams");

                // port-forward to httpd in the other container
                int localPort = PortPicker.freePort();
                try (Kubectl.Background pf = kubectl.start("port-forward", "pod/streams", localPort + ":8080")) {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pf.stdout()).as(pf.describe()).contains("Forwarding from"));
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/hostname"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(pf.describe()).isEqualTo(200);
                    assertThat(r.body().strip()).isEqualTo("streams");
                }

                // --previous after the container restarted
                ok(kubectl.run("exec", "streams", "-c", "talker", "--", "touch", "/tmp/exit"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ok(kubectl.run("get", "pod", "streams", "-o",
                        "jsonpath={.status.containerStatuses[?(@.name==\"talker\")].restartCount}"))).isNotIn("", "0"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("logs", "streams", "-c", "talker", "--previous"))).contains("second").endsWith("bye\n"));
            } catch (AssertionError | RuntimeException e) {
                // The data directory (and the server's log) is gone after the finally blocks: say what the server said.
                throw new AssertionError(e.getMessage() + "\n" + server.logTail(), e);
            } finally {
                kubectl.run("delete", "pod", "streams", "--ignore-not-found", "--grace-period=1", "--timeout=90s");
            }
        } finally {
            new ProcessBuilder("ip", "link", "delete", "cni0").start().waitFor(10, TimeUnit.SECONDS);
            AgentHostState.remove(); // the pod network's routes, devices and chains
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Makes the talker container print {@code text} (printf escapes) to its log. */
    private static void say(Kubectl kubectl, String text) {
        ok(kubectl.run("exec", "streams", "-c", "talker", "--", "sh", "-c", "printf '" + text + "' > /tmp/say.tmp && mv /tmp/say.tmp /tmp/say"));
    }

    /** Runs kubectl under a pseudo-terminal ({@code script}), as a user at a terminal would for {@code -it}. */
    private static String runInPty(Jk8sServer server, Path dir, String kubectlArgs) throws Exception {
        ProcessBuilder b = new ProcessBuilder("script", "-qec", Kubectl.DEFAULT_BINARY + " " + kubectlArgs, "/dev/null")
                .redirectErrorStream(true);
        b.environment().put("KUBECONFIG", server.kubeconfig().toString());
        b.environment().put("KUBECACHEDIR", dir.resolve("kube-cache").toString());
        b.environment().put("HOME", dir.resolve("kube-cache").toString());
        Process p = b.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kubectl exec -it finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
