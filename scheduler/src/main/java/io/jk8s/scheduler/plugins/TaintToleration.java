package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.PreScorePlugin;
import io.jk8s.scheduler.framework.ScoreNormalizer;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.util.Tolerations;

import java.util.List;

/**
 * Filter: the pod must tolerate every {@code NoSchedule} and {@code NoExecute} taint of the node.
 * Score: fewer untolerated {@code PreferNoSchedule} taints is better.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "TaintToleration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        List<Taint> taints = node.taints();
        if (taints.isEmpty()) {
            return Status.success();
        }
        Taint t = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(),
                x -> "NoSchedule".equals(x.getEffect()) || "NoExecute".equals(x.getEffect()));
        if (t == null) {
            return Status.success();
        }
        return Status.unresolvable("node(s) had untolerated taint {" + t.getKey() + ": "
                + (t.getValue() == null ? "" : t.getValue()) + "}");
    }

    private record PreferTolerations(List<Toleration> tolerations) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    private static final CycleState.Key<PreferTolerations> KEY = new CycleState.Key<>("PreScore" + NAME);

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        List<Toleration> all = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        state.write(KEY, new PreferTolerations(all.stream()
                .filter(t -> t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
                .toList()));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        List<Taint> taints = node.taints();
        if (taints.isEmpty()) {
            return 0;
        }
        PreferTolerations s = state.read(KEY);
        List<Toleration> tolerations = s == null ? pod.getSpec().getTolerations() : s.tolerations();
        long count = 0;
        for (Taint t : taints) {
            if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.toleratedByAny(tolerations, t)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void normalize(CycleState state, Pod pod, NodeInfo[] nodes, long[] scores) {
        ScoreNormalizer.normalize(MAX_NODE_SCORE, true, scores);
    }
}
