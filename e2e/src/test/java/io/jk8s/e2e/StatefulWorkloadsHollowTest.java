package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * StatefulSets and CronJobs as a user drives them with kubectl, on hollow nodes: a StatefulSet of 3
 * becomes Ready one pod at a time in ordinal order with its claims, {@code rollout status} and
 * {@code scale} work; {@code kubectl create job --from=cronjob/x} makes a Job the CronJob owns; and a
 * {@code * / 1 * * * *} CronJob fires by itself within about a minute (the test waits for that last,
 * while the rest runs).
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StatefulWorkloadsHollowTest {

    static final String STATEFUL_SET = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web}
            spec:
              serviceName: web
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: c, image: "busybox:1.35", command: [httpd, -f, -p, "80"]}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            """;

    /** "add:<pod>" and "ready:<pod>" in the order the API server's watch reports them. */
    static final class PodLog implements Watcher<Pod> {
        final List<String> entries = new CopyOnWriteArrayList<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        @Override
        public void eventReceived(Action action, Pod p) {
            boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                    .anyMatch((PodCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (action == Action.ADDED) entries.add("add:" + p.getMetadata().getName());
            if (ready && seen.add(p.getMetadata().getUid())) entries.add("ready:" + p.getMetadata().getName());
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    @Test
    void statefulSetComesUpInOrderAndCronJobsMakeJobs() throws Exception {
        Path dir = SharedServer.workDir("stateful-");
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("data"));
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(null, server.kubeconfig().toFile())).build()) {
            Process hollow = HollowProcess.start(server, dir, "hollow-", 3);
            try {
                Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        ok(kubectl.run("get", "nodes", "--no-headers")).lines().filter(l -> l.contains(" Ready ")).count())
                        .isEqualTo(3));
                // Created first so that its first scheduled run falls while the rest of the test runs.
                ok(kubectl.run("create", "cronjob", "tick", "--image=busybox:1.35", "--schedule=*/1 * * * *", "--", "true"));

                PodLog log = new PodLog();
                try (Watch w = client.pods().inNamespace("default").withLabel("app", "web").watch(log)) {
                    ok(kubectl.runWithInput(STATEFUL_SET, "apply", "-f", "-"));
                    ok(kubectl.run("rollout", "status", "statefulset/web", "--timeout=90s"));
                    await().atMost(Duration.ofSeconds(10)).until(() -> log.entries.size() == 6);
                    // OrderedReady: each pod is created only once the one before it is Ready.
                    assertThat(log.entries).containsExactly("add:web-0", "ready:web-0", "add:web-1", "ready:web-1", "add:web-2", "ready:web-2");
                }
                assertThat(ok(kubectl.run("get", "pvc", "-o", "jsonpath={.items[*].metadata.name}")))
                        .isEqualTo("data-web-0 data-web-1 data-web-2");
                assertThat(ok(kubectl.run("get", "pod", "web-2", "-o",
                        "jsonpath={.spec.hostname}.{.spec.subdomain} {.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}")))
                        .isEqualTo("web-2.web web-2");
                assertThat(ok(kubectl.run("describe", "statefulset", "web")))
                        .contains("create Pod web-0 in StatefulSet web successful")
                        .contains("create Claim data-web-0 Pod web-0 in StatefulSet web success");

                ok(kubectl.run("scale", "statefulset", "web", "--replicas=1"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        ok(kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"))).isEqualTo("web-0"));
                assertThat(ok(kubectl.run("get", "sts", "web", "-o", "jsonpath={.status.replicas}"))).isEqualTo("1");

                ok(kubectl.run("create", "job", "by-hand", "--from=cronjob/tick"));
                assertThat(ok(kubectl.run("get", "job", "by-hand", "-o",
                        "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}")))
                        .isEqualTo("CronJob/tick manual");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        ok(kubectl.run("get", "pods", "-l", "job-name=by-hand", "-o", "name"))).isNotBlank());

                // The schedule itself: a Job named tick-<minute> and lastScheduleTime, within about a minute.
                await().atMost(Duration.ofSeconds(75)).untilAsserted(() -> assertThat(
                        ok(kubectl.run("get", "jobs", "-o", "jsonpath={.items[*].metadata.name}"))).containsPattern("tick-\\d{8}"));
                assertThat(ok(kubectl.run("get", "cronjob", "tick", "-o", "jsonpath={.status.lastScheduleTime}"))).isNotBlank();
            } finally {
                HollowProcess.stop(hollow);
            }
        }
    }
}
