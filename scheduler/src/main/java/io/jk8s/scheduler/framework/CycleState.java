package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;

/**
 * Data shared between the extension points of one scheduling cycle of one pod, e.g. what a plugin
 * computed in PreFilter and reads in Filter. Not thread safe: a cycle runs on one thread.
 */
public final class CycleState {

    /** A typed slot. Keys are compared by identity; plugins keep theirs in a constant. */
    public static final class Key<T extends StateData> {
        private final String name;

        public Key(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A value kept in the state. {@link #copy()} must return an independent copy, because
     * preemption evaluates candidate nodes on copies of the state.
     */
    public interface StateData {
        StateData copy();
    }

    private final Map<Key<?>, StateData> data;
    private final Set<String> skipFilterPlugins = new HashSet<>();
    private final Set<String> skipScorePlugins = new HashSet<>();
    private PodInfo podInfo;
    private FilterPlugin[] activeFilters;

    public CycleState() {
        this.data = new HashMap<>();
    }

    private CycleState(Map<Key<?>, StateData> data) {
        this.data = data;
    }

    public <T extends StateData> void write(Key<T> key, T value) {
        data.put(key, value);
    }

    /** The value written under {@code key}, or {@code null} when the owning PreFilter did not run or skipped. */
    @SuppressWarnings("unchecked")
    public <T extends StateData> T read(Key<T> key) {
        return (T) data.get(key);
    }

    /** A deep copy: every value is copied through {@link StateData#copy()}. */
    public CycleState copy() {
        Map<Key<?>, StateData> copied = new HashMap<>(data.size() * 2);
        data.forEach((k, v) -> copied.put(k, v.copy()));
        CycleState c = new CycleState(copied);
        c.skipFilterPlugins.addAll(skipFilterPlugins);
        c.skipScorePlugins.addAll(skipScorePlugins);
        c.podInfo = podInfo;
        c.activeFilters = activeFilters;
        return c;
    }

    /** The Filter plugins not skipped in this cycle, once the framework has worked them out. */
    FilterPlugin[] activeFilters() {
        return activeFilters;
    }

    void setActiveFilters(FilterPlugin[] activeFilters) {
        this.activeFilters = activeFilters;
    }

    /** Sets the pre-computed info of the pod being scheduled (done by the scheduler at cycle start). */
    public void setPodInfo(PodInfo podInfo) {
        this.podInfo = podInfo;
    }

    /** The pre-computed info of {@code pod}, the pod being scheduled; computed once if not set. */
    public PodInfo podInfo(Pod pod) {
        if (podInfo == null || podInfo.pod() != pod) {
            podInfo = PodInfo.of(pod);
        }
        return podInfo;
    }

    /** Plugins whose PreFilter returned SKIP: their Filter is not called in this cycle. */
    public Set<String> skipFilterPlugins() {
        return skipFilterPlugins;
    }

    /** Plugins whose PreScore returned SKIP: their Score is not called in this cycle. */
    public Set<String> skipScorePlugins() {
        return skipScorePlugins;
    }
}
