package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** Runs once per cycle with the feasible nodes, to pre-compute state for {@link ScorePlugin}. */
public interface PreScorePlugin extends Plugin {
    /** @return SUCCESS, SKIP (this plugin's Score is not called for the pod), or ERROR. */
    Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes);
}
