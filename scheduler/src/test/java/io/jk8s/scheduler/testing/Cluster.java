package io.jk8s.scheduler.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PreFilterPlugin;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.PreScorePlugin;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-built set of nodes with pods, and helpers that run one plugin the way the framework does. */
public final class Cluster implements NodeInfoLister {

    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();

    public Cluster node(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod p : pods) {
            info.addPod(PodInfo.of(Objects.bound(p, node.getMetadata().getName())));
        }
        nodes.put(node.getMetadata().getName(), info);
        return this;
    }

    @Override
    public List<NodeInfo> list() {
        return new ArrayList<>(nodes.values());
    }

    @Override
    public NodeInfo get(String name) {
        return nodes.get(name);
    }

    @Override
    public List<NodeInfo> havePodsWithAffinity() {
        return nodes.values().stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
    }

    /** PreFilter (if any) then Filter on one node; a PreFilter rejection or SKIP is returned as is. */
    public Status filter(FilterPlugin plugin, Pod pod, String nodeName) {
        CycleState state = new CycleState();
        if (plugin instanceof PreFilterPlugin pre) {
            PreFilterResult r = pre.preFilter(state, pod, this);
            if (r.status().isSkip()) {
                return Status.success();
            }
            if (!r.status().isSuccess()) {
                return r.status();
            }
        }
        return plugin.filter(state, pod, nodes.get(nodeName));
    }

    /** PreScore (if any), Score and normalize over all nodes; returns node name to final score. */
    public Map<String, Long> score(ScorePlugin plugin, Pod pod) {
        CycleState state = new CycleState();
        List<NodeInfo> all = list();
        Map<String, Long> out = new LinkedHashMap<>();
        if (plugin instanceof PreScorePlugin pre && pre.preScore(state, pod, all).isSkip()) {
            all.forEach(n -> out.put(n.name(), 0L));
            return out;
        }
        NodeInfo[] arr = all.toArray(NodeInfo[]::new);
        long[] scores = new long[arr.length];
        for (int i = 0; i < arr.length; i++) {
            scores[i] = plugin.score(state, pod, arr[i]);
        }
        plugin.normalize(state, pod, arr, scores);
        for (int i = 0; i < arr.length; i++) {
            out.put(arr[i].name(), scores[i]);
        }
        return out;
    }
}
