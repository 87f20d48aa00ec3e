package io.jk8s.scheduler.cache;

import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consistent view of the cluster for one scheduling cycle: copies of the cache's node infos,
 * refreshed incrementally by {@link SchedulerCache#updateSnapshot(Snapshot)} (only nodes changed
 * since the last refresh are copied). Only nodes whose Node object is known are listed.
 * Used by the scheduling thread only.
 */
public final class Snapshot implements NodeInfoLister {

    private final Map<String, NodeInfo> byName = new HashMap<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final List<NodeInfo> list = new ArrayList<>();
    private final Map<String, NodeInfo> withAffinity = new LinkedHashMap<>();
    private List<NodeInfo> withAffinityList = List.of();
    private boolean affinityDirty;
    private boolean membershipDirty;
    private List<String> nodeOrder = List.of();

    /** Puts a fresh copy of a changed node, or removes it when {@code info} is null or has no Node. */
    void put(String name, NodeInfo info) {
        if (info == null || info.node() == null) {
            if (byName.remove(name) != null) {
                membershipDirty = true;
            }
            if (withAffinity.remove(name) != null) {
                affinityDirty = true;
            }
            return;
        }
        NodeInfo old = byName.put(name, info);
        if (old == null) {
            membershipDirty = true;
        } else if (!membershipDirty) {
            list.set(indexOf.get(name), info);
        }
        if (!info.podsWithAffinity().isEmpty()) {
            withAffinity.put(name, info);
            affinityDirty = true;
        } else if (withAffinity.remove(name) != null) {
            affinityDirty = true;
        }
    }

    /**
     * Rebuilds the derived lists after a batch of {@link #put} calls; {@code newOrder} is the cache's
     * node order when it changed, else {@code null}.
     */
    void finishUpdate(List<String> newOrder) {
        if (newOrder != null) {
            nodeOrder = newOrder;
            membershipDirty = true;
        }
        if (membershipDirty) {
            list.clear();
            indexOf.clear();
            for (String name : nodeOrder) {
                NodeInfo n = byName.get(name);
                if (n != null) {
                    indexOf.put(name, list.size());
                    list.add(n);
                }
            }
            membershipDirty = false;
        }
        if (affinityDirty) {
            withAffinityList = List.copyOf(withAffinity.values());
            affinityDirty = false;
        }
    }

    @Override
    public List<NodeInfo> list() {
        return list;
    }

    @Override
    public NodeInfo get(String name) {
        return byName.get(name);
    }

    @Override
    public List<NodeInfo> havePodsWithAffinity() {
        return withAffinityList;
    }

    public int size() {
        return list.size();
    }
}
