package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} during a stream of creates: after a restart on the same data directory every
 * create the server acknowledged is back with the same resourceVersion, and kubectl works.
 */
@org.junit.jupiter.api.Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
class CrashRecoveryTest {

    private static final String NS = "e2e-crash";
    private static final int ACKNOWLEDGED_BEFORE_KILL = 40;

    @Test
    void acknowledgedCreatesSurviveKill9() throws Exception {
        Path dir = SharedServer.workDir("crash-");
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("data"))) {
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean keepWriting = new AtomicBoolean(true);
            Thread writer;
            try (KubernetesClient client = client(server)) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
                writer = Thread.ofVirtual().start(() -> {
                    for (int i = 0; keepWriting.get(); i++) {
                        String name = "c-" + i;
                        try {
                            ConfigMap created = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                                    .withNewMetadata().withName(name).endMetadata().addToData("i", Integer.toString(i)).build()).create();
                            acknowledged.put(name, created.getMetadata().getResourceVersion());
                        } catch (RuntimeException serverGone) {
                            return;
                        }
                    }
                });
                await("creates acknowledged before the kill").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL || !writer.isAlive());
                assertThat(acknowledged).as("writer stopped early; " + server.logTail()).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

                server.kill9();
                keepWriting.set(false);
                writer.join(Duration.ofSeconds(30));
            }
            assertThat(writer.isAlive()).isFalse();
            Map<String, String> beforeCrash = Map.copyOf(acknowledged);

            server.restart();
            System.out.printf("e2e: restart after kill -9 ready in %d ms (%d acknowledged creates)%n",
                    server.lastStartup().toMillis(), beforeCrash.size());

            try (KubernetesClient client = client(server)) {
                for (var entry : beforeCrash.entrySet()) {
                    ConfigMap back = client.configMaps().inNamespace(NS).withName(entry.getKey()).get();
                    assertThat(back).as("acknowledged %s lost after kill -9", entry.getKey()).isNotNull();
                    assertThat(back.getMetadata().getResourceVersion()).as(entry.getKey()).isEqualTo(entry.getValue());
                }
            }
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            String names = ok(kubectl.run("get", "cm", "-n", NS, "-o", "name"));
            assertThat(names.lines().filter(l -> l.startsWith("configmap/c-")).count()).isGreaterThanOrEqualTo(beforeCrash.size());
            assertThat(ok(kubectl.runWithInput("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: after-crash}
                    """, "apply", "-n", NS, "-f", "-"))).contains("configmap/after-crash created");
        }
    }

    private static KubernetesClient client(Jk8sServer server) {
        // No client-side retries: a create either got its answer from the server or it did not.
        Config config = new ConfigBuilder(Config.fromKubeconfig(null, server.kubeconfig().toFile()))
                .withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
