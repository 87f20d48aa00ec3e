package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node failure as upstream handles it: when the process running a hollow node is killed, the node
 * lifecycle controller marks it Unknown after {@code --node-monitor-grace-period} (20 s here: twice the
 * hollow nodes' 10 s Lease renewal, so a loaded machine does not flap them),
 * taints it {@code node.kubernetes.io/unreachable:NoExecute}, evicts the pods whose toleration
 * runs out ({@code tolerationSeconds: 2}), and their ReplicaSet replaces them on the surviving nodes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HollowNodeEvictionTest {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: spread}
            spec:
              replicas: 3
              selector: {matchLabels: {app: spread}}
              template:
                metadata: {labels: {app: spread}}
                spec:
                  tolerations:
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
                  containers: [{name: c, image: "busybox:1.35"}]
            """;

    @Test
    void podsOnAKilledHollowNodeAreEvictedAndReplacedElsewhere() throws Exception {
        Path dir = SharedServer.workDir("eviction-");
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("data"), List.of("--node-monitor-grace-period=20s"));
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(null, server.kubeconfig().toFile())).build()) {
            // The doomed node comes first and alone, so that every pod starts there.
            Process doomed = HollowProcess.start(server, dir, "doomed-", 1);
            Process survivors = null;
            try {
                Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
                awaitReadyNodes(kubectl, 1);
                ok(kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-"));
                ok(kubectl.run("rollout", "status", "deployment/spread", "--timeout=90s"));
                List<String> onDoomed = livePods(client).stream().map(p -> p.getMetadata().getName()).toList();
                assertThat(livePods(client)).hasSize(3).allMatch(p -> "doomed-0".equals(p.getSpec().getNodeName()));
                survivors = HollowProcess.start(server, dir, "stay-", 2);
                awaitReadyNodes(kubectl, 3);

                doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Node n = client.nodes().withName("doomed-0").get();
                    assertThat(n.getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType()) && "Unknown".equals(c.getStatus()));
                    assertThat(n.getSpec().getTaints()).anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey())
                            && "NoExecute".equals(t.getEffect()));
                });
                // Evicted (deleting; no kubelet confirms it on a dead node) and replaced on the survivors.
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                    for (String name : onDoomed) {
                        Pod p = client.pods().inNamespace("default").withName(name).get();
                        assertThat(p == null || p.getMetadata().getDeletionTimestamp() != null).as(name + " evicted").isTrue();
                    }
                    List<Pod> live = livePods(client);
                    assertThat(live).hasSize(3).allMatch(p -> p.getSpec().getNodeName() != null && p.getSpec().getNodeName().startsWith("stay-")
                            && "Running".equals(p.getStatus().getPhase()));
                });
                assertThat(ok(kubectl.run("get", "events", "--field-selector", "reason=TaintManagerEviction", "-o", "name"))).isNotBlank();
            } finally {
                HollowProcess.stop(doomed);
                if (survivors != null) HollowProcess.stop(survivors);
            }
        }
    }

    private static void awaitReadyNodes(Kubectl kubectl, int n) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                ok(kubectl.run("get", "nodes", "--no-headers")).lines().filter(l -> l.contains(" Ready ")).count())
                .isEqualTo(n));
    }

    private static List<Pod> livePods(KubernetesClient client) {
        return client.pods().inNamespace("default").withLabel("app", "spread").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }
}
