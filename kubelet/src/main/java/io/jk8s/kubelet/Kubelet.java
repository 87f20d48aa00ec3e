package io.jk8s.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.VersionResponse;
import io.jk8s.kubelet.node.HostFacts;
import io.jk8s.kubelet.node.NodeLeaseHeartbeat;
import io.jk8s.kubelet.node.NodeStatusFactory;
import io.jk8s.kubelet.pod.ApiPodEvents;
import io.jk8s.kubelet.pod.ApiPodStatusSink;
import io.jk8s.kubelet.volume.ApiPodObjects;
import io.jk8s.kubelet.volume.DownwardApi;
import io.jk8s.kubelet.volume.LinuxMounter;
import io.jk8s.kubelet.volume.PodObjects;
import io.jk8s.kubelet.volume.VolumeManager;
import io.jk8s.kubelet.pod.Backoff;
import io.jk8s.kubelet.pod.ImageManager;
import io.jk8s.kubelet.pod.PodStatusBuilder;
import io.jk8s.kubelet.pod.PodSyncer;
import io.jk8s.kubelet.pod.PodWorkers;
import io.jk8s.kubelet.pod.Prober;
import io.jk8s.kubelet.pod.RuntimeConfigs;
import io.jk8s.kubelet.pod.RuntimeRelister;
import io.jk8s.kubelet.server.KubeletServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The node agent's API-facing loop: registers the Node, keeps its Lease and status fresh,
 * watches the pods bound to this node (field selector {@code spec.nodeName}) and hands each to
 * its pod worker; a periodic runtime relist wakes workers on container changes and removes
 * pods the API no longer has. An API client like any other: it never calls server code.
 *
 * <p>Restart-safe: all pod state is read back from the runtime (labels, annotations), so a new
 * kubelet adopts the running pods of the previous one.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Kubelet.class);

    /**
     * @param nodeName      this node's name
     * @param nodeIp        its InternalIP (the pods' hostIP)
     * @param podCidr       this node's pod subnet, if known
     * @param agentDir      {@code <data-dir>/agent}: pod logs and volumes live below it
     * @param clusterDns    cluster DNS address for ClusterFirst pods (empty: host resolv.conf)
     * @param clusterDomain e.g. cluster.local
     * @param server        the HTTPS server on :10250 (logs, exec, attach, port-forward), if any
     */
    public record Config(String nodeName, String nodeIp, Optional<String> podCidr, Path agentDir,
                         Optional<String> clusterDns, String clusterDomain, Optional<KubeletServer.Settings> server) {

        /** Without the kubelet server. */
        public Config(String nodeName, String nodeIp, Optional<String> podCidr, Path agentDir,
                      Optional<String> clusterDns, String clusterDomain) {
            this(nodeName, nodeIp, podCidr, agentDir, clusterDns, clusterDomain, Optional.empty());
        }
    }

    private static final Duration NODE_STATUS_PERIOD = Duration.ofSeconds(10);
    private static final Duration RELIST_PERIOD = Duration.ofSeconds(1);
    private static final Duration POD_RESYNC = Duration.ofSeconds(30);
    /** ConfigMap/Secret/downward API volume contents are re-read at most this often (within a resync). */
    private static final Duration VOLUME_REFRESH = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final ContainerRuntime cri;
    private final Config config;
    private final NodeStatusFactory nodeStatus;
    private final NodeLeaseHeartbeat lease;
    private final PodWorkers workers;
    private final ApiPodEvents podEvents;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("kubelet-timer-", 0).daemon().factory());
    private volatile SharedIndexInformer<Pod> informer;
    private final KubeletServer server;

    public Kubelet(KubernetesClient client, ContainerRuntime cri, Config config, Clock clock) {
        this.client = client;
        this.cri = cri;
        this.config = config;
        VersionResponse version = cri.version();
        this.nodeStatus = new NodeStatusFactory(new NodeStatusFactory.Identity(config.nodeName(), config.nodeIp(),
                config.podCidr(), version.getRuntimeName() + "://" + version.getRuntimeVersion()),
                HostFacts.read(config.agentDir()), clock, this::kubeletPort);
        this.server = config.server().map(s -> new KubeletServer(s, this::boundPod, cri, clock)).orElse(null);
        this.lease = new NodeLeaseHeartbeat(client, config.nodeName(), clock, Duration.ofSeconds(10), Duration.ofSeconds(40));
        Backoff backoff = Backoff.containerRestarts(clock);
        HostFacts host = HostFacts.read(config.agentDir());
        DownwardApi.NodeAllocatable allocatable = new DownwardApi.NodeAllocatable(host.cpus(), host.memoryBytes(),
                host.ephemeralStorageBytes());
        PodObjects podObjects = new ApiPodObjects(client);
        RuntimeConfigs configs = new RuntimeConfigs(new RuntimeConfigs.Settings(config.agentDir().resolve("logs/pods"),
                config.agentDir().resolve("pods"), config.clusterDns(), config.clusterDomain(), config.nodeName()),
                podObjects, allocatable);
        this.podEvents = new ApiPodEvents(client, config.nodeName(), clock);
        VolumeManager volumes = new VolumeManager(config.agentDir().resolve("pods"), podObjects, new LinuxMounter(),
                allocatable, clock, VOLUME_REFRESH);
        PodSyncer syncer = new PodSyncer(cri, configs, new ImageManager(cri, backoff), backoff,
                new PodStatusBuilder(clock), new Prober(cri, clock), config.nodeIp(), volumes, podEvents);
        this.workers = new PodWorkers(syncer, new ApiPodStatusSink(client), POD_RESYNC);
    }

    /** Registers the node and starts all loops; completes when the pod informer has synced. */
    public CompletableFuture<Void> start() {
        if (server != null) {
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Node registered = register();
        lease.start(registered.getMetadata().getUid());
        timers.scheduleWithFixedDelay(this::updateNodeStatus, NODE_STATUS_PERIOD.toMillis(),
                NODE_STATUS_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                workers.update(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                workers.update(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                workers.remove(pod.getMetadata().getUid());
            }
        });
        return informer.start().toCompletableFuture().thenRun(() -> {
            RuntimeRelister relister = new RuntimeRelister(cri, workers::poke, workers::remove, this::knownPodUids);
            timers.scheduleWithFixedDelay(relister, 0, RELIST_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            log.info("kubelet for node {} started", config.nodeName());
        });
    }

    private int kubeletPort() {
        return server == null ? NodeStatusFactory.KUBELET_PORT : server.port();
    }

    /** The kubelet server answers for the pods bound here, as this kubelet's informer has them. */
    private Optional<Pod> boundPod(String namespace, String name) {
        SharedIndexInformer<Pod> pods = informer;
        return pods == null ? Optional.empty() : Optional.ofNullable(pods.getStore().getByKey(namespace + "/" + name));
    }

    private Set<String> knownPodUids() {
        return informer.getStore().list().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }

    private Node register() {
        Node node = nodeStatus.node(cri.status());
        try {
            Node created = client.nodes().resource(node).create();
            log.info("registered node {}", config.nodeName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Re-registration after a restart: keep the object, refresh its status.
            Node existing = client.nodes().withName(config.nodeName()).get();
            patchNodeStatus(nodeStatus.status(cri.status(), existing.getStatus()));
            return existing;
        }
    }

    private void updateNodeStatus() {
        try {
            Node current = client.nodes().withName(config.nodeName()).get();
            NodeStatus previous = current == null ? null : current.getStatus();
            patchNodeStatus(nodeStatus.status(cri.status(), previous));
        } catch (RuntimeException e) {
            log.warn("node {}: status update failed: {}", config.nodeName(), e.toString());
        }
    }

    private void patchNodeStatus(NodeStatus status) {
        client.nodes().withName(config.nodeName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        timers.shutdownNow();
        lease.close();
        if (informer != null) {
            informer.close();
        }
        // Pod workers stop; containers keep running for the next kubelet to adopt.
        workers.close();
        podEvents.close();
    }
}
