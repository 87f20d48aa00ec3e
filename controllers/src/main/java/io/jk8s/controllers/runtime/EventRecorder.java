package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes core/v1 Events for objects, asynchronously so that a sync never waits on them.
 * Repeats of the same (object, type, reason, message) increment {@code count} and
 * {@code lastTimestamp} of the first Event instead of creating new ones, so that
 * {@code kubectl describe} shows "(x5 over 2m)" as upstream.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_REMEMBERED = 4096;

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private record Seen(String namespace, String name, int count) {}

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-recorder");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
    }

    public void normal(HasMetadata obj, String reason, String message) {
        record(obj, NORMAL, reason, message);
    }

    public void warning(HasMetadata obj, String reason, String message) {
        record(obj, WARNING, reason, message);
    }

    public void record(HasMetadata obj, String type, String reason, String message) {
        var ref = new ObjectReferenceBuilder()
                .withApiVersion(obj.getApiVersion()).withKind(obj.getKind())
                .withNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
                .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion())
                .build();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            writer.execute(() -> write(ref, type, reason, message, now));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // Shutting down: events are best effort.
        }
    }

    private void write(io.fabric8.kubernetes.api.model.ObjectReference ref, String type, String reason, String message, Instant now) {
        String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
        String aggKey = ref.getUid() + "|" + ref.getKind() + "|" + ns + "|" + ref.getName() + "|" + type + "|" + reason + "|" + message;
        try {
            Seen prev = seen.get(aggKey);
            if (prev != null) {
                Event cur = client.v1().events().inNamespace(prev.namespace).withName(prev.name).get();
                if (cur != null) {
                    int count = (cur.getCount() == null ? 1 : cur.getCount()) + 1;
                    Event next = new EventBuilder(cur).withCount(count).withLastTimestamp(now.toString()).build();
                    client.v1().events().inNamespace(prev.namespace).resource(next).update();
                    seen.put(aggKey, new Seen(prev.namespace, prev.name, count));
                    return;
                }
            }
            String name = ref.getName() + "." + Long.toHexString(System.nanoTime() ^ now.toEpochMilli() << 20);
            Event e = new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(ref)
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .build();
            client.v1().events().inNamespace(ns).resource(e).create();
            seen.put(aggKey, new Seen(ns, name, 1));
        } catch (RuntimeException ex) {
            log.debug("event {} for {}/{} not written: {}", reason, ns, ref.getName(), ex.toString());
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
