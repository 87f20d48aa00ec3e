package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Ranks a feasible node. Scores are normalised to [0, {@link #MAX_NODE_SCORE}], multiplied by the
 * plugin's weight from the {@link Profile} and summed over plugins; the highest total wins.
 */
public interface ScorePlugin extends Plugin {

    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    /** The raw score of {@code node}; a plugin without {@link #normalize} must stay in [0, 100]. */
    long score(CycleState state, Pod pod, NodeInfo node);

    /**
     * Rewrites the raw scores of all feasible nodes (same order as {@code nodes}) into [0, 100].
     * The default keeps them as they are.
     */
    default void normalize(CycleState state, Pod pod, NodeInfo[] nodes, long[] scores) {
    }
}
