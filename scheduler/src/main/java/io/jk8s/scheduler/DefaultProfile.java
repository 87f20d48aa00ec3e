package io.jk8s.scheduler;

import io.jk8s.scheduler.framework.Profile;
import io.jk8s.scheduler.plugins.DefaultBinder;
import io.jk8s.scheduler.plugins.DefaultPreemption;
import io.jk8s.scheduler.plugins.InterPodAffinity;
import io.jk8s.scheduler.plugins.NodeAffinity;
import io.jk8s.scheduler.plugins.NodeName;
import io.jk8s.scheduler.plugins.NodePorts;
import io.jk8s.scheduler.plugins.NodeResourcesBalancedAllocation;
import io.jk8s.scheduler.plugins.NodeResourcesFit;
import io.jk8s.scheduler.plugins.NodeUnschedulable;
import io.jk8s.scheduler.plugins.PodTopologySpread;
import io.jk8s.scheduler.plugins.TaintToleration;

import java.util.List;
import java.util.Map;

/** Upstream's default plugin set, order and score weights. */
public final class DefaultProfile {

    private DefaultProfile() {
    }

    public static Profile create(String schedulerName, DefaultBinder.Binder binder,
                                 PodTopologySpread.DefaultSelectors defaultSelectors) {
        return new Profile(schedulerName, List.of(
                h -> new NodeUnschedulable(),
                h -> new NodeName(),
                h -> new TaintToleration(),
                h -> new NodeAffinity(),
                h -> new NodePorts(),
                h -> new NodeResourcesFit(),
                h -> new PodTopologySpread(h::snapshot, defaultSelectors),
                h -> new InterPodAffinity(h::snapshot),
                h -> new DefaultPreemption(h),
                h -> new NodeResourcesBalancedAllocation(),
                h -> new DefaultBinder(binder)),
                Map.of(TaintToleration.NAME, 3, NodeAffinity.NAME, 2, PodTopologySpread.NAME, 2,
                        InterPodAffinity.NAME, 2, NodeResourcesFit.NAME, 1, NodeResourcesBalancedAllocation.NAME, 1));
    }
}
