package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting, stopping and restarting the real launcher jar. */
@org.junit.jupiter.api.Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
class ServerLifecycleTest {

    @Test
    void versionFlagPrintsVersions() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Jk8sServer.jar().toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("jk8s version v").contains("Kubernetes v1.32");
    }

    @Test
    void startsServesStopsOnSigtermAndRestartsWithTheSameCertificates() throws Exception {
        Path dir = SharedServer.workDir("lifecycle-");
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("data"))) {
            System.out.printf("e2e: fresh start (new data dir, PKI generated) ready in %d ms%n", server.lastStartup().toMillis());
            Path data = server.dataDir();
            for (String file : List.of("server/tls/ca.crt", "server/tls/ca.key", "server/tls/serving-kube-apiserver.crt",
                    "server/tls/client-admin.crt", "admin.kubeconfig")) {
                assertThat(data.resolve(file)).exists();
            }
            // /readyz answers once the API serves; the controller manager and scheduler start after that.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(server.log())
                    .contains("controller-manager: started").contains("scheduler: started")
                    .contains("agent: not started (--disable-agent)").contains("admin.kubeconfig"));
            String ca = Files.readString(data.resolve("server/tls/ca.crt"));
            String serving = Files.readString(data.resolve("server/tls/serving-kube-apiserver.crt"));

            int exit = server.stop();
            assertThat(exit).as(server.logTail()).isIn(0, 143);
            assertThat(server.log()).contains("shutting down");

            server.restart();
            System.out.printf("e2e: restart (existing data dir) ready in %d ms%n", server.lastStartup().toMillis());
            assertThat(Files.readString(data.resolve("server/tls/ca.crt"))).isEqualTo(ca);
            assertThat(Files.readString(data.resolve("server/tls/serving-kube-apiserver.crt"))).isEqualTo(serving);
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            assertThat(ok(kubectl.run("get", "ns", "default", "-o", "name")).strip()).isEqualTo("namespace/default");
        }
    }
}
