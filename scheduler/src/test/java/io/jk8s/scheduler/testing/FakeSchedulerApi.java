package io.jk8s.scheduler.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.jk8s.scheduler.SchedulerApi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** Records what the scheduler asks of the API; bindings can be made to fail. */
public final class FakeSchedulerApi implements SchedulerApi {

    public record RecordedEvent(String pod, String type, String reason, String message) {
    }

    public final Map<String, String> bindings = new ConcurrentHashMap<>();
    public final List<RecordedEvent> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    public final Map<String, PodCondition> conditions = new ConcurrentHashMap<>();
    public final Map<String, String> nominations = new ConcurrentHashMap<>();
    public final List<String> deleted = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    public volatile BiConsumer<Pod, String> onBind = (p, n) -> { };

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @Override
    public void bind(Pod pod, String nodeName) {
        onBind.accept(pod, nodeName);
        if (bindings.putIfAbsent(key(pod), nodeName) != null) {
            throw new IllegalStateException("pod " + key(pod) + " is already assigned");
        }
    }

    @Override
    public void recordEvent(Pod pod, String type, String reason, String action, String message) {
        events.add(new RecordedEvent(key(pod), type, reason, message));
    }

    @Override
    public void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName) {
        if (condition != null) {
            conditions.put(key(pod) + "/" + condition.getType(), condition);
        }
        if (nominatedNodeName != null) {
            nominations.put(key(pod), nominatedNodeName);
        }
    }

    @Override
    public void deletePod(Pod pod) {
        deleted.add(key(pod));
    }

    public List<RecordedEvent> eventsFor(String podKey, String reason) {
        return events.stream().filter(e -> e.pod().equals(podKey) && e.reason().equals(reason)).toList();
    }
}
