package io.jk8s.scheduler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The JSON bodies of the scheduler's two writes per pod, a {@code Binding} and a core/v1 {@code Event},
 * streamed straight to the request's output: no model or tree in between. Both transports
 * ({@link Fabric8SchedulerApi}'s fabric8 POST and {@link LeanApiWriter}) send these same bytes.
 */
final class SchedulerWriteBodies {

    /** Bodies are written on short-lived virtual threads: a shared buffer pool, not Jackson's per-thread one. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();

    /** Writes one body to a generator. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private SchedulerWriteBodies() {
    }

    static void write(Body body, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        }
    }

    /** {@code pods/binding} of the pod to the node (with the pod's uid as a precondition, as upstream's binder). */
    static Body binding(Pod pod, String nodeName) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        return g -> {
            g.writeStartObject();
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Binding");
            g.writeObjectFieldStart("metadata");
            g.writeStringField("name", name);
            g.writeStringField("namespace", ns);
            writeIfSet(g, "uid", uid);
            g.writeEndObject();
            g.writeObjectFieldStart("target");
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Node");
            g.writeStringField("name", nodeName);
            g.writeEndObject();
            g.writeEndObject();
        };
    }

    /** A core/v1 Event about the pod, as upstream's recorder fills it; {@code now} is RFC 3339 in seconds. */
    static Body event(Pod pod, String eventName, String type, String reason, String action, String message,
                      String component, String instance, String now) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        String resourceVersion = pod.getMetadata().getResourceVersion();
        return g -> {
            g.writeStartObject();
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Event");
            g.writeObjectFieldStart("metadata");
            g.writeStringField("name", eventName);
            g.writeStringField("namespace", ns);
            g.writeEndObject();
            g.writeObjectFieldStart("involvedObject");
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "Pod");
            g.writeStringField("namespace", ns);
            g.writeStringField("name", name);
            writeIfSet(g, "uid", uid);
            writeIfSet(g, "resourceVersion", resourceVersion);
            g.writeEndObject();
            g.writeStringField("type", type);
            g.writeStringField("reason", reason);
            g.writeStringField("action", action);
            g.writeStringField("message", message);
            g.writeObjectFieldStart("source");
            g.writeStringField("component", component);
            g.writeEndObject();
            g.writeStringField("reportingComponent", component);
            g.writeStringField("reportingInstance", instance);
            g.writeStringField("firstTimestamp", now);
            g.writeStringField("lastTimestamp", now);
            g.writeNumberField("count", 1);
            g.writeEndObject();
        };
    }

    private static void writeIfSet(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
