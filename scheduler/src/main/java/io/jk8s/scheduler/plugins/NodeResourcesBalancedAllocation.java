package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PreScorePlugin;
import io.jk8s.scheduler.framework.Resource;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;

import java.util.List;

/**
 * Score: prefers nodes whose CPU and memory would be used in equal proportion after placing the pod:
 * {@code (1 - standard deviation of the used fractions) * 100}. Pods that request neither CPU nor
 * memory (best effort) are not scored.
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";
    private static final String[] RESOURCES = {Resource.CPU, Resource.MEMORY};

    @Override
    public String name() {
        return NAME;
    }

    private static long amount(Resource res, String name) {
        // Identity checks first: the names are our own constants; other names go through the lookup.
        if (name == Resource.CPU) {
            return res.milliCpu();
        }
        if (name == Resource.MEMORY) {
            return res.memory();
        }
        return res.get(name);
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        Resource req = state.podInfo(pod).requests();
        return req.milliCpu() == 0 && req.memory() == 0 ? Status.skip() : Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        PodInfo p = state.podInfo(pod);
        double[] fractions = new double[RESOURCES.length];
        int n = 0;
        double sum = 0;
        for (String r : RESOURCES) {
            long allocatable = amount(node.allocatable(), r);
            if (allocatable == 0) {
                continue;
            }
            long requested = amount(node.requested(), r) + amount(p.requests(), r);
            double f = Math.min(1.0, (double) requested / allocatable);
            fractions[n++] = f;
            sum += f;
        }
        double std = 0;
        if (n == 2) {
            std = Math.abs(fractions[0] - fractions[1]) / 2;
        } else if (n > 2) {
            double mean = sum / n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(var / n);
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }
}
