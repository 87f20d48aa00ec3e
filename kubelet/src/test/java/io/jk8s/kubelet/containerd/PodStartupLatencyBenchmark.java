package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.kubelet.image.ImageBuilder;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pod startup latency as upstream's SLI defines it: from pod creation to all its containers
 * running as observed by a watch (image present), for 1 pod at a time and for 30 pods created at
 * once on one node, next to raw {@code ctr run -d} of the same image on the same containerd in the
 * same run; plus the JVM's RSS (API server + kubelet) with 30 pods running. Pods get the service-account token
 * volume, as every pod in a cluster does. Run on demand:
 * {@code mvn -pl kubelet test -Dtest=PodStartupLatencyBenchmark -Dkubelet.excludedGroups=none}.
 */
@Tag("containerd")
@Tag("bench")
class PodStartupLatencyBenchmark {

    private static final String NS = "default";
    /**
     * Single pods started and not counted before the 10 measured ones, as JMH warms up: the first starts in a fresh JVM
     * run the API server, the client and the kubelet interpreted (a kubelet serves pods for days; its steady state is
     * what the SLI describes). Their latencies are printed apart. {@code -Dbench.warmupPods=2} is the earlier setting.
     */
    private static final int WARMUP_PODS = Integer.getInteger("bench.warmupPods", 10);

    @Test
    void measure() throws Exception {
        try (ContainerdFixture fixture = ContainerdFixture.start();
             MemoryStore store = new MemoryStore();
             ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create())
                    .withServiceAccountTokens(serviceAccountTokens())) {
            server.start().get(30, TimeUnit.SECONDS);
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + server.port()).withRequestRetryBackoffLimit(0).build()).build()) {
                for (String ns : new String[]{NS, "kube-node-lease"}) {
                    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                            .createOr(existing -> existing.update());
                }
                // As in a cluster: every pod gets the projected service-account token volume (a TokenRequest, the
                // root CA ConfigMap, a tmpfs) from the ServiceAccount and ConfigMap the controllers would create.
                client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName("default").endMetadata().build()).create();
                client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("kube-root-ca.crt").endMetadata().addToData("ca.crt", "not-checked").build()).create();
                CriCallTrace trace = new CriCallTrace();
                try (Kubelet kubelet = new Kubelet(client, trace.wrap(fixture.cri), new Kubelet.Config("node-1", "127.0.0.1",
                        Optional.of(ContainerdFixture.POD_CIDR), fixture.agentDir, Optional.empty(), "cluster.local"),
                        Clock.systemUTC())) {
                    kubelet.start().get(30, TimeUnit.SECONDS);
                    run(fixture, client, trace);
                } finally {
                    fixture.stopAll();
                }
            }
        }
    }

    private void run(ContainerdFixture fixture, KubernetesClient client, CriCallTrace trace) throws Exception {
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        Map<String, Long> runningAt = new ConcurrentHashMap<>();
        List<String> tracedEvents = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Watch ignored = client.pods().inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (pod.getMetadata().getName().equals(TRACED)) {
                    tracedEvents.add(System.nanoTime() + " watch " + action + " phase=" + (pod.getStatus() == null ? null : pod.getStatus().getPhase()));
                }
                var statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
                if (statuses != null && !statuses.isEmpty() && statuses.stream().allMatch(s -> s.getState().getRunning() != null)) {
                    runningAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            List<Long> single = new ArrayList<>();
            List<Long> warmUp = new ArrayList<>();
            List<Long> containerdCalls = new ArrayList<>();
            List<Long> outsideContainerd = new ArrayList<>();
            for (int i = 0; i < WARMUP_PODS + 10; i++) {
                String name = "one-" + i;
                trace.start();
                create(client, name, createdAt);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> runningAt.containsKey(name));
                List<CriCallTrace.Call> calls = trace.stop();
                if (i < WARMUP_PODS) {
                    warmUp.add((runningAt.get(name) - createdAt.get(name)) / 1_000_000);
                } else {
                    long total = runningAt.get(name) - createdAt.get(name);
                    long inContainerd = calls.stream().filter(c -> STARTING_CALLS.contains(c.method()))
                            .mapToLong(c -> c.endNanos() - c.startNanos()).sum();
                    single.add(total / 1_000_000);
                    containerdCalls.add(inContainerd / 1_000_000);
                    outsideContainerd.add((total - inContainerd) / 1_000_000);
                }
                deleteAll(fixture, client);
            }

            String timeline = traceOne(fixture, client, trace, createdAt, runningAt, tracedEvents);

            CpuTimes before = CpuTimes.of(fixture.dataDir);
            var pool = Executors.newFixedThreadPool(30);
            for (int i = 0; i < 30; i++) {
                String name = "many-" + i;
                pool.execute(() -> create(client, name, createdAt));
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(() ->
                    runningAt.keySet().stream().filter(n -> n.startsWith("many-")).count() == 30);
            CpuTimes manyCpu = CpuTimes.of(fixture.dataDir).minus(before);
            List<Long> many = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                many.add((runningAt.get("many-" + i) - createdAt.get("many-" + i)) / 1_000_000);
            }
            System.gc();
            long rssKb = rssKb();
            deleteAll(fixture, client);

            List<Long> ctr = ctrRuns(fixture);
            String report = "pod startup (create -> all containers running, seen by watch), ms:\n"
                    + "  1 pod at a time:  p50=" + percentile(single, 50) + " p99=" + percentile(single, 99) + " all=" + sorted(single) + "\n"
                    + "    (after " + WARMUP_PODS + " uncounted warm-up pods, in order: " + warmUp + ")\n"
                    + "  30 pods at once:  p50=" + percentile(many, 50) + " p99=" + percentile(many, 99) + " all=" + sorted(many) + "\n"
                    + "  raw ctr run -d:   p50=" + percentile(ctr, 50) + " p99=" + percentile(ctr, 99) + " all=" + sorted(ctr) + "\n"
                    + "  of the 1-pod starts, containerd's RunPodSandbox+CreateContainer+StartContainer: p50="
                    + percentile(containerdCalls, 50) + " all=" + sorted(containerdCalls) + "\n"
                    + "  the rest of each 1-pod start (API server, kubelet, watch): p50=" + percentile(outsideContainerd, 50)
                    + " all=" + sorted(outsideContainerd) + "\n"
                    + "  p50 ratio pod / ctr run: " + String.format("%.2f", (double) percentile(single, 50) / percentile(ctr, 50))
                    + " (containerd's three calls alone: " + String.format("%.2f", (double) percentile(containerdCalls, 50) / percentile(ctr, 50)) + ")\n"
                    + "  CPU while 30 pods started: " + manyCpu.perPod(30) + "\n"
                    + "JVM RSS (API server + kubelet) with 30 pods: " + rssKb / 1024 + " MiB\n"
                    + "one pod's start-up, ms after create (CRI calls: start-end, thread; watch events):\n" + timeline
                    + "load average at end: " + Files.readString(Path.of("/proc/loadavg")).strip() + "\n";
            System.out.println(report);
            Files.writeString(Path.of("target", "pod-startup-latency.txt"), report);
            assertThat(single).hasSize(10);
        }
    }

    private static final String TRACED = "traced";
    /** The runtime calls that start a pod's sandbox and its container: containerd's own share of a pod start. */
    private static final java.util.Set<String> STARTING_CALLS = java.util.Set.of("runPodSandbox", "createContainer", "startContainer");

    private static ServiceAccountTokens serviceAccountTokens() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        return new ServiceAccountTokens((RSAPrivateKey) keys.getPrivate(), (RSAPublicKey) keys.getPublic(),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER), null);
    }

    /** Starts one more pod with every CRI call and watch event time-stamped; returns the timeline. */
    private static String traceOne(ContainerdFixture fixture, KubernetesClient client, CriCallTrace trace,
                                   Map<String, Long> createdAt, Map<String, Long> runningAt, List<String> events) {
        trace.start();
        create(client, TRACED, createdAt);
        events.add(System.nanoTime() + " create returned");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> runningAt.containsKey(TRACED));
        List<CriCallTrace.Call> calls = trace.stop();
        long t0 = createdAt.get(TRACED);
        List<Map.Entry<Long, String>> lines = new ArrayList<>();
        for (CriCallTrace.Call c : calls) {
            lines.add(Map.entry(c.startNanos(), String.format("  %6.1f-%6.1f %-20s %s", (c.startNanos() - t0) / 1e6,
                    (c.endNanos() - t0) / 1e6, c.method(), c.thread())));
        }
        synchronized (events) {
            for (String e : events) {
                long at = Long.parseLong(e.substring(0, e.indexOf(' ')));
                lines.add(Map.entry(at, String.format("  %6.1f        %s", (at - t0) / 1e6, e.substring(e.indexOf(' ') + 1))));
            }
        }
        lines.sort(Map.Entry.comparingByKey());
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l.getValue()).append('\n'));
        deleteAll(fixture, client);
        return out.toString();
    }

    private static void create(KubernetesClient client, String name, Map<String, Long> createdAt) {
        createdAt.put(name, System.nanoTime());
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("sleep").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build()).create();
    }

    private static void deleteAll(ContainerdFixture fixture, KubernetesClient client) {
        client.pods().inNamespace(NS).delete();
        await().atMost(Duration.ofSeconds(120)).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()).isEmpty());
    }

    private static List<Long> ctrRuns(ContainerdFixture fixture) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "ctr-latency-" + ProcessHandle.current().pid() + "-" + i; // unique: runc state is host-wide
            long start = System.nanoTime();
            long nanos;
            try {
                ctr(fixture, true, "run", "-d", ImageBuilder.BUSYBOX, id, "sleep", "3600");
                nanos = System.nanoTime() - start;
            } finally {
                // Always remove it: these containers are outside CRI, so the fixture would not.
                ctr(fixture, false, "task", "delete", "--force", id);
                ctr(fixture, false, "container", "delete", id);
            }
            if (i >= 2) {
                millis.add(nanos / 1_000_000);
            }
        }
        return millis;
    }

    private static void ctr(ContainerdFixture fixture, boolean mustSucceed, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/ctr", "--address", fixture.supervisor.socket().toString(),
                "--namespace", "k8s.io"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (mustSucceed) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        }
    }

    private static long rssKb() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> values, int p) {
        List<Long> s = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, rank - 1));
    }
}
