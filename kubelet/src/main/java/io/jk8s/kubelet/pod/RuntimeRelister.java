package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.Container;
import io.jk8s.kubelet.cri.v1.ContainerFilter;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.PodSandbox;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.kubelet.cri.v1.PodSandboxState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The kubelet's view of runtime changes (upstream's PLEG): every period it lists all jk8s
 * sandboxes and containers once, and for each pod whose containers changed state since the last
 * relist it pokes that pod's worker. Pods the runtime has but the API no longer does are handed
 * to {@code orphan} for cleanup. One relist costs two CRI calls whatever the number of pods.
 *
 * <p>A pod seen for the first time with every sandbox ready and every container running is not poked: its
 * worker created exactly that and saw it at the end of its sync, so a poke would only buy a redundant sync
 * (30 of them when 30 pods start at once). First seen with anything else (an exited container), it is.
 */
public final class RuntimeRelister implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeRelister.class);

    private final ContainerRuntime cri;
    private final Consumer<String> changed;
    private final Consumer<String> orphan;
    private final Supplier<Set<String>> knownPodUids;
    private Map<String, String> lastFingerprints = Map.of();

    /**
     * @param changed      called with a pod uid whose runtime state changed
     * @param orphan       called with a pod uid the runtime has and {@code knownPodUids} lacks
     * @param knownPodUids uids of the pods bound to this node in the API (from the informer cache)
     */
    public RuntimeRelister(ContainerRuntime cri, Consumer<String> changed, Consumer<String> orphan,
                           Supplier<Set<String>> knownPodUids) {
        this.cri = cri;
        this.changed = changed;
        this.orphan = orphan;
        this.knownPodUids = knownPodUids;
    }

    @Override
    public void run() {
        try {
            relist();
        } catch (RuntimeException e) {
            log.warn("relist failed: {}", e.toString()); // the next period retries
        }
    }

    void relist() {
        Map<String, String> managed = Map.of(CriLabels.MANAGED_BY, CriLabels.MANAGED_BY_VALUE);
        Map<String, TreeMap<String, String>> states = new HashMap<>();
        for (PodSandbox s : cri.listPodSandbox(PodSandboxFilter.newBuilder().putAllLabelSelector(managed).build())) {
            states.computeIfAbsent(s.getLabelsOrDefault(CriLabels.POD_UID, ""), k -> new TreeMap<>())
                    .put(s.getId(), s.getState().name());
        }
        for (Container c : cri.listContainers(ContainerFilter.newBuilder().putAllLabelSelector(managed).build())) {
            states.computeIfAbsent(c.getLabelsOrDefault(CriLabels.POD_UID, ""), k -> new TreeMap<>())
                    .put(c.getId(), c.getState().name());
        }
        Map<String, String> fingerprints = new HashMap<>();
        states.forEach((uid, s) -> fingerprints.put(uid, s.toString()));
        Set<String> known = knownPodUids.get();
        for (var e : fingerprints.entrySet()) {
            String uid = e.getKey();
            if (!known.contains(uid)) {
                orphan.accept(uid);
            } else if (!e.getValue().equals(lastFingerprints.get(uid))
                    && (lastFingerprints.containsKey(uid) || !allRunning(states.get(uid)))) {
                changed.accept(uid);
            }
        }
        lastFingerprints = fingerprints;
    }

    private static boolean allRunning(Map<String, String> states) {
        return states.values().stream().allMatch(state -> state.equals(PodSandboxState.SANDBOX_READY.name())
                || state.equals(ContainerState.CONTAINER_RUNNING.name()));
    }
}
