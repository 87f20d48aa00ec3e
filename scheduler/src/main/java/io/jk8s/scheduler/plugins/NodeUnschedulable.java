package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.util.Tolerations;

/**
 * Filter: a cordoned node ({@code spec.unschedulable}) only takes pods that tolerate the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint (e.g. DaemonSet pods).
 */
public final class NodeUnschedulable implements FilterPlugin {

    public static final String NAME = "NodeUnschedulable";
    public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        if (!node.unschedulable()) {
            return Status.success();
        }
        if (Tolerations.toleratedByAny(pod.getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
            return Status.success();
        }
        return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    }
}
