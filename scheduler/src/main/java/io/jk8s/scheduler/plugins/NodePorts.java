package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.HostPort;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;
import io.jk8s.scheduler.framework.PreFilterPlugin;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.Status;

/**
 * Filter: the host ports the pod's containers ask for must be free on the node. A wildcard host IP
 * ({@code 0.0.0.0}) conflicts with any IP on the same protocol and port.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodePorts";
    public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes) {
        return state.podInfo(pod).hostPorts().isEmpty() ? PreFilterResult.skip() : PreFilterResult.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        for (HostPort wanted : state.podInfo(pod).hostPorts()) {
            if (node.hostPortInUse(wanted)) {
                return Status.unschedulable(ERR_REASON);
            }
        }
        return Status.success();
    }
}
