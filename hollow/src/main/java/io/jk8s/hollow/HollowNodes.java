package io.jk8s.hollow;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kubemark-style hollow nodes: registers {@code count} Nodes that look like real kubelets to
 * the control plane (capacity, Ready, Lease heartbeats) and "runs" the pods bound to them by
 * reporting them Running and Ready, without any container.
 *
 * <p>Cheap at thousands of nodes: one scheduler thread for heartbeats, one pod informer for all
 * nodes, and virtual threads bounded by {@code parallelism} for API calls. A pod with
 * {@code restartPolicy} other than Always and the annotation {@value #EXIT_CODE_ANNOTATION}
 * finishes at once with that exit code (Succeeded for 0, Failed otherwise), so Jobs can complete.
 * Pods marked for deletion are deleted with grace 0, as a kubelet does once containers stopped.
 * {@link #close()} stops heartbeats and pod handling; the nodes stay registered (and go
 * NotReady through the node lifecycle controller), as when kubelets die.
 */
public final class HollowNodes implements AutoCloseable {

    public static final String EXIT_CODE_ANNOTATION = "hollow.jk8s.io/exit-code";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);

    private final KubernetesClient client;
    private final HollowConfig cfg;
    private final Map<String, Integer> indexByNode = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> podIpCounters = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hollow-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Pod> pods;
    private volatile boolean closed;

    public HollowNodes(KubernetesClient client, HollowConfig cfg) {
        this.client = client;
        this.cfg = cfg;
        this.permits = new Semaphore(cfg.parallelism());
        for (int i = 0; i < cfg.count(); i++) indexByNode.put(cfg.nodeName(i), i);
    }

    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cfg.count(); i++) names.add(cfg.nodeName(i));
        return names;
    }

    /** Registers the nodes and their Leases, then starts heartbeats and pod handling; completes when all are Ready. */
    public CompletableFuture<Void> start() {
        return CompletableFuture.runAsync(() -> {
            ensureLeaseNamespace();
            List<CompletableFuture<Void>> regs = new ArrayList<>();
            for (int i = 0; i < cfg.count(); i++) {
                final int idx = i;
                regs.add(CompletableFuture.runAsync(() -> limited(() -> register(idx)), calls));
            }
            CompletableFuture.allOf(regs.toArray(CompletableFuture[]::new)).join();
            long period = cfg.heartbeat().toMillis();
            ticker.scheduleAtFixedRate(this::heartbeatAll, period, period, TimeUnit.MILLISECONDS);
            pods = client.pods().inAnyNamespace().runnableInformer(0);
            pods.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod p) {
                    handle(p);
                }

                @Override
                public void onUpdate(Pod o, Pod p) {
                    handle(p);
                }

                @Override
                public void onDelete(Pod p, boolean unknown) {
                }
            });
            pods.start().toCompletableFuture().join();
        }, calls);
    }

    private void ensureLeaseNamespace() {
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
        }
    }

    private void register(int i) {
        String name = cfg.nodeName(i);
        Map<String, Quantity> resources = Map.of("cpu", new Quantity(cfg.cpu()), "memory", new Quantity(cfg.memory()),
                "pods", new Quantity(cfg.pods()));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64").addToLabels("node.jk8s.io/hollow", "true")
                .endMetadata()
                .withNewSpec().withPodCIDR(cfg.podCidr(i)).withPodCIDRs(cfg.podCidr(i)).endSpec()
                .build();
        Node cur;
        try {
            cur = client.nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            cur = client.nodes().withName(name).get();
        }
        String now = now();
        cur.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withCapacity(resources).withAllocatable(resources)
                .addNewAddress().withType("InternalIP").withAddress(cfg.hostIp(i)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withConditions(condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now))
                .withNewNodeInfo().withKubeletVersion("v1.32.3-hollow").withKubeProxyVersion("v1.32.3-hollow")
                .withOperatingSystem("linux").withArchitecture("amd64").withContainerRuntimeVersion("hollow://1.0")
                .withOsImage("hollow").withKernelVersion("hollow").withMachineID(name).withSystemUUID(name).withBootID(name)
                .endNodeInfo()
                .build());
        writeStatus(cur);
        renewLease(name);
    }

    /**
     * The node's status is ours to write, but controllers (node lifecycle, IPAM) may touch the new Node
     * between our create and this write: on a conflict, put our status onto the latest version and retry.
     */
    private void writeStatus(Node node) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.nodes().resource(node).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) throw e;
                Node latest = client.nodes().withName(node.getMetadata().getName()).get();
                latest.setStatus(node.getStatus());
                node = latest;
            }
        }
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String now) {
        return new NodeCondition(now, now, message, reason, status, type);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private void heartbeatAll() {
        if (closed) return;
        for (String name : indexByNode.keySet()) {
            calls.execute(() -> limited(() -> renewLease(name)));
        }
    }

    private void renewLease(String name) {
        if (closed) return;
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Lease cur = leases.get(name);
        try {
            if (cur == null) {
                cur = client.leases().inNamespace(LEASE_NAMESPACE).withName(name).get();
            }
            if (cur == null) {
                Lease l = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(LEASE_NAMESPACE)
                        .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name)
                        .withUid(client.nodes().withName(name).get().getMetadata().getUid()).endOwnerReference()
                        .endMetadata()
                        .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(now).endSpec()
                        .build();
                leases.put(name, client.leases().inNamespace(LEASE_NAMESPACE).resource(l).create());
            } else {
                Lease next = new LeaseBuilder(cur).editSpec().withRenewTime(now).endSpec().build();
                leases.put(name, client.leases().inNamespace(LEASE_NAMESPACE).resource(next).update());
            }
        } catch (KubernetesClientException e) {
            leases.remove(name); // re-read on the next beat
            log.debug("lease {} not renewed: {}", name, e.getMessage());
        }
    }

    private void handle(Pod p) {
        if (closed || p.getSpec() == null || p.getSpec().getNodeName() == null) return;
        Integer idx = indexByNode.get(p.getSpec().getNodeName());
        if (idx == null) return;
        String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
        boolean deleting = p.getMetadata().getDeletionTimestamp() != null;
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        boolean started = phase != null && !phase.equals("Pending");
        if (!deleting && started) return;
        if (inFlight.putIfAbsent(key, Boolean.TRUE) != null) return;
        calls.execute(() -> {
            try {
                limited(() -> {
                    if (deleting) {
                        kill(p);
                    } else {
                        run(p, idx);
                    }
                });
            } finally {
                inFlight.remove(key);
                // An update (e.g. the deletion) that arrived while this call was in flight was skipped: look again.
                Pod latest = pods == null ? null : pods.getIndexer().getByKey(key);
                if (latest != null && !Objects.equals(latest.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
                    handle(latest);
                }
            }
        });
    }

    private void kill(Pod p) {
        try {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            log.debug("deleting {}: {}", p.getMetadata().getName(), e.getMessage());
        }
    }

    private void run(Pod cached, int nodeIndex) {
        Pod p = client.getKubernetesSerialization().clone(cached);
        String now = now();
        String exit = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(EXIT_CODE_ANNOTATION);
        boolean finishes = exit != null && !"Always".equals(p.getSpec().getRestartPolicy());
        int code = finishes ? Integer.parseInt(exit.trim()) : 0;
        String phase = !finishes ? "Running" : code == 0 ? "Succeeded" : "Failed";
        boolean ready = !finishes;
        List<ContainerStatus> statuses = new ArrayList<>();
        for (var c : p.getSpec().getContainers()) {
            var b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID("hollow://" + c.getImage()).withContainerID("hollow://" + p.getMetadata().getUid() + "/" + c.getName())
                    .withReady(ready).withStarted(!finishes).withRestartCount(0);
            if (finishes) {
                b.withNewState().withNewTerminated().withExitCode(code).withReason(code == 0 ? "Completed" : "Error")
                        .withStartedAt(now).withFinishedAt(now).endTerminated().endState();
            } else {
                b.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
            }
            statuses.add(b.build());
        }
        String podIp = podIp(nodeIndex);
        var status = p.getStatus() == null ? new io.fabric8.kubernetes.api.model.PodStatus() : p.getStatus();
        status.setPhase(phase);
        status.setHostIP(cfg.hostIp(nodeIndex));
        status.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIP(cfg.hostIp(nodeIndex))));
        status.setPodIP(podIp);
        status.setPodIPs(List.of(new PodIP(podIp)));
        status.setStartTime(now);
        status.setQosClass(status.getQosClass() == null ? "BestEffort" : status.getQosClass());
        status.setContainerStatuses(statuses);
        String readyStatus = ready ? "True" : "False";
        String readyReason = ready ? null : "PodCompleted";
        status.setConditions(List.of(
                podCondition("PodReadyToStartContainers", "True", null, now),
                podCondition("Initialized", "True", finishes ? "PodCompleted" : null, now),
                podCondition("Ready", readyStatus, readyReason, now),
                podCondition("ContainersReady", readyStatus, readyReason, now),
                podCondition("PodScheduled", "True", null, now)));
        p.setStatus(status);
        try {
            client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).updateStatus();
        } catch (KubernetesClientException e) {
            log.debug("status of {}: {}", p.getMetadata().getName(), e.getMessage());
            if (e.getCode() == 409) {
                Pod fresh = pods.getIndexer().getByKey(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
                if (fresh != null) calls.execute(() -> handle(fresh));
            }
        }
    }

    private static PodCondition podCondition(String type, String status, String reason, String now) {
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setLastTransitionTime(now);
        return c;
    }

    private String podIp(int nodeIndex) {
        int n = podIpCounters.computeIfAbsent(cfg.nodeName(nodeIndex), k -> new AtomicInteger()).getAndIncrement();
        String cidr = cfg.podCidr(nodeIndex);
        return cidr.substring(0, cidr.lastIndexOf('.')) + "." + (2 + n % 250);
    }

    private void limited(Runnable r) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            r.run();
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        if (pods != null) pods.close();
        calls.shutdownNow();
    }
}
