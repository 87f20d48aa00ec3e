package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Runs once per scheduling cycle before any Filter, to pre-compute state for {@link FilterPlugin}
 * into the {@link CycleState}, or to reject the pod for every node at once.
 */
public interface PreFilterPlugin extends Plugin {

    /**
     * @return {@link Status#success()} with an optional node restriction,
     *         {@link Status#skip()} when this plugin's Filter is irrelevant to the pod (Filter is then
     *         not called), or a rejection that applies to every node.
     */
    PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes);

    /**
     * Incremental updates of the pre-computed state when preemption removes or re-adds pods on a
     * node; {@code null} when the plugin's state does not depend on other pods.
     */
    default PreFilterExtensions extensions() {
        return null;
    }
}
