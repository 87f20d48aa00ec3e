package io.jk8s.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.util.List;

/** Numbers of a rolling update (upstream deployment/util): surge, unavailability, replica sums. */
final class RolloutMath {

    private RolloutMath() {
    }

    static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    static int ready(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
    }

    static int sumSpec(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(RolloutMath::replicas).sum();
    }

    static int sumAvailable(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(RolloutMath::available).sum();
    }

    /** An IntOrString count or percentage of {@code total}; percentages round up or down. */
    static int scaled(IntOrString v, int total, boolean roundUp, String dflt) {
        IntOrString x = v == null ? new IntOrString(dflt) : v;
        if (x.getIntVal() != null) return x.getIntVal();
        String s = x.getStrVal();
        if (s.endsWith("%")) {
            double pct = Double.parseDouble(s.substring(0, s.length() - 1));
            double raw = pct * total / 100.0;
            return (int) (roundUp ? Math.ceil(raw) : Math.floor(raw));
        }
        return Integer.parseInt(s);
    }

    static boolean isRolling(Deployment d) {
        return d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType());
    }

    static int maxSurge(Deployment d) {
        if (!isRolling(d)) return 0;
        var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        int surge = scaled(ru == null ? null : ru.getMaxSurge(), replicas(d), true, "25%");
        int unavailable = scaled(ru == null ? null : ru.getMaxUnavailable(), replicas(d), false, "25%");
        return surge == 0 && unavailable == 0 ? 0 : surge;
    }

    /** Never more than the desired replicas; 1 when both surge and unavailability resolve to 0. */
    static int maxUnavailable(Deployment d) {
        if (!isRolling(d) || replicas(d) == 0) return 0;
        var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        int surge = scaled(ru == null ? null : ru.getMaxSurge(), replicas(d), true, "25%");
        int unavailable = scaled(ru == null ? null : ru.getMaxUnavailable(), replicas(d), false, "25%");
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return Math.min(unavailable, replicas(d));
    }

    /** Replicas for the new ReplicaSet in this step of a rolling update. */
    static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        int want = replicas(d);
        int current = replicas(newRS);
        if (!isRolling(d)) return want;
        int maxTotal = want + maxSurge(d);
        int total = sumSpec(all);
        if (total >= maxTotal) return current;
        int up = Math.min(maxTotal - total, want - current);
        return current + Math.max(up, 0);
    }
}
