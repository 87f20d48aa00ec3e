package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Instant;
import java.util.Comparator;

/** Pod state as controllers read it (upstream podutil). */
public final class Pods {

    private Pods() {
    }

    public static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null ? "" : p.getStatus().getPhase();
    }

    /** Neither finished nor being deleted: counts towards a workload's replicas. */
    public static boolean isActive(Pod p) {
        String phase = phase(p);
        return !phase.equals("Succeeded") && !phase.equals("Failed") && p.getMetadata().getDeletionTimestamp() == null;
    }

    public static boolean isTerminated(Pod p) {
        String phase = phase(p);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    public static PodCondition readyCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) return null;
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return c;
        }
        return null;
    }

    public static boolean isReady(Pod p) {
        PodCondition c = readyCondition(p);
        return c != null && "True".equals(c.getStatus());
    }

    /** Ready for at least {@code minReadySeconds} at {@code now}. */
    public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
        if (!isReady(p)) return false;
        if (minReadySeconds <= 0) return true;
        String t = readyCondition(p).getLastTransitionTime();
        if (t == null) return false;
        return !Instant.parse(t).plusSeconds(minReadySeconds).isAfter(now);
    }

    /** When a ready pod becomes available, or null if it never will without changing. */
    public static Instant availableAt(Pod p, int minReadySeconds) {
        if (!isReady(p) || minReadySeconds <= 0) return null;
        String t = readyCondition(p).getLastTransitionTime();
        return t == null ? null : Instant.parse(t).plusSeconds(minReadySeconds);
    }

    /**
     * Order in which surplus pods are deleted (upstream ActivePods ranking): unassigned before
     * assigned, pending before unknown before running, not ready before ready, newer before older.
     */
    public static final Comparator<Pod> DELETE_FIRST = Comparator
            .comparing((Pod p) -> p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
            .thenComparing(p -> switch (phase(p)) {
                case "Pending" -> 0;
                case "Unknown" -> 1;
                case "Running" -> 2;
                default -> 0;
            })
            .thenComparing(Pods::isReady)
            .thenComparing(Comparator.comparing((Pod p) -> created(p)).reversed());

    public static String created(Pod p) {
        String c = p.getMetadata().getCreationTimestamp();
        return c == null ? "" : c;
    }
}
