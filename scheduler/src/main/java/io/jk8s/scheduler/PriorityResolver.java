package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;

import java.util.List;
import java.util.function.Supplier;

/**
 * Fills {@code spec.priority} from {@code spec.priorityClassName} (or the global default class) when
 * the API server has not done so, as the Priority admission plugin would. Built-in classes
 * {@code system-cluster-critical} and {@code system-node-critical} are known without being listed.
 */
final class PriorityResolver {

    static final int SYSTEM_CLUSTER_CRITICAL = 2_000_000_000;
    static final int SYSTEM_NODE_CRITICAL = 2_000_001_000;

    private final Supplier<List<PriorityClass>> classes;

    PriorityResolver(Supplier<List<PriorityClass>> classes) {
        this.classes = classes;
    }

    /** The pod itself when it has a priority or none applies, else a copy with the priority set. */
    Pod resolve(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getPriority() != null) {
            return pod;
        }
        Integer priority = priorityOf(pod.getSpec().getPriorityClassName());
        if (priority == null) {
            return pod;
        }
        return new PodBuilder(pod).editSpec().withPriority(priority).endSpec().build();
    }

    private Integer priorityOf(String className) {
        if ("system-cluster-critical".equals(className)) {
            return SYSTEM_CLUSTER_CRITICAL;
        }
        if ("system-node-critical".equals(className)) {
            return SYSTEM_NODE_CRITICAL;
        }
        for (PriorityClass pc : classes.get()) {
            if (className != null && !className.isEmpty()) {
                if (className.equals(pc.getMetadata().getName())) {
                    return pc.getValue();
                }
            } else if (Boolean.TRUE.equals(pc.getGlobalDefault())) {
                return pc.getValue();
            }
        }
        return null;
    }
}
