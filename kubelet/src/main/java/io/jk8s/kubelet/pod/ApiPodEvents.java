package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes pod events asynchronously (a sync never waits on them). A repeat of the same
 * (pod, type, reason, message) bumps {@code count} of the first Event, at most once per
 * {@code MIN_REPEAT}, so a pod retrying a mount every few seconds does not flood the API.
 */
public final class ApiPodEvents implements PodEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiPodEvents.class);
    private static final Duration MIN_REPEAT = Duration.ofSeconds(10);
    private static final int MAX_REMEMBERED = 2048;

    private record Seen(String name, int count, Instant written) {}

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("kubelet-events").daemon().factory());
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    public ApiPodEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    @Override
    public void warning(Pod pod, String reason, String message) {
        record(pod, "Warning", reason, message);
    }

    @Override
    public void normal(Pod pod, String reason, String message) {
        record(pod, "Normal", reason, message);
    }

    private void record(Pod pod, String type, String reason, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            writer.execute(() -> write(pod, type, reason, message, now));
        } catch (RejectedExecutionException closed) {
            // shutting down: events are best effort
        }
    }

    private void write(Pod pod, String type, String reason, String message, Instant now) {
        var m = pod.getMetadata();
        String key = m.getUid() + "|" + type + "|" + reason + "|" + message;
        try {
            Seen previous = seen.get(key);
            if (previous != null) {
                if (previous.written().plus(MIN_REPEAT).isAfter(now)) {
                    return;
                }
                Event current = client.v1().events().inNamespace(m.getNamespace()).withName(previous.name()).get();
                if (current != null) {
                    int count = previous.count() + 1;
                    client.v1().events().inNamespace(m.getNamespace()).resource(new EventBuilder(current)
                            .withCount(count).withLastTimestamp(now.toString()).build()).update();
                    seen.put(key, new Seen(previous.name(), count, now));
                    return;
                }
            }
            String name = m.getName() + "." + Long.toHexString(System.nanoTime());
            client.v1().events().inNamespace(m.getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(m.getNamespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(m.getNamespace())
                    .withName(m.getName()).withUid(m.getUid()).withResourceVersion(m.getResourceVersion()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                    .withReportingComponent("kubelet").withReportingInstance(nodeName)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .build()).create();
            seen.put(key, new Seen(name, 1, now));
        } catch (RuntimeException e) {
            log.debug("event {} for pod {}/{} not written: {}", reason, m.getNamespace(), m.getName(), e.toString());
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
