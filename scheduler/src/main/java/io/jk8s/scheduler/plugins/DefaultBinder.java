package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.BindPlugin;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.Status;

/** Bind: creates the pod's {@code pods/binding} subresource through the API. */
public final class DefaultBinder implements BindPlugin {

    public static final String NAME = "DefaultBinder";

    /** The API call; throws on failure (conflict, not found, connection). */
    @FunctionalInterface
    public interface Binder {
        void bind(Pod pod, String nodeName) throws Exception;
    }

    private final Binder binder;

    public DefaultBinder(Binder binder) {
        this.binder = binder;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status bind(CycleState state, Pod pod, String nodeName) {
        try {
            binder.bind(pod, nodeName);
            return Status.success();
        } catch (Exception e) {
            return Status.error("binding rejected: " + e.getMessage());
        }
    }
}
