package io.jk8s.scheduler.framework;

import java.util.List;

/** Read access to the nodes of the current scheduling snapshot. Valid for one cycle. */
public interface NodeInfoLister {
    /** All nodes, in a stable order. */
    List<NodeInfo> list();

    /** The node named {@code name}, or {@code null}. */
    NodeInfo get(String name);

    /** Nodes that run at least one pod with (anti-)affinity: what InterPodAffinity needs to visit. */
    List<NodeInfo> havePodsWithAffinity();
}
