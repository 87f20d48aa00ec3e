package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@link SchedulerApi} over a fabric8 client; with a {@link LeanApiWriter} the two writes every pod costs
 * (binding and Scheduled/FailedScheduling events) go through that instead, the rarer ones stay on fabric8.
 */
public final class Fabric8SchedulerApi implements SchedulerApi {

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    /** null: every write through fabric8. */
    private final LeanApiWriter lean;

    public Fabric8SchedulerApi(KubernetesClient client, String component, String instance) {
        this(client, component, instance, null);
    }

    Fabric8SchedulerApi(KubernetesClient client, String component, String instance, LeanApiWriter lean) {
        this.client = client;
        this.component = component;
        this.instance = instance;
        this.lean = lean;
    }

    /** POSTs a {@code Binding} to {@code /api/v1/namespaces/{ns}/pods/{name}/binding}. */
    @Override
    public void bind(Pod pod, String nodeName) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        post("/api/v1/namespaces/" + enc(ns) + "/pods/" + enc(name) + "/binding",
                SchedulerWriteBodies.binding(pod, nodeName), "binding " + ns + "/" + name + " to " + nodeName);
    }

    /**
     * Every pod costs a binding and an event, so both are one POST of a body streamed by
     * {@link SchedulerWriteBodies}, and only a failure's response is read: going through fabric8's typed create
     * cost a model serialisation, a response parse into an Event nobody reads, and a cancelled timeout future
     * per call. A 401 on the lean path is retried once through fabric8, which refreshes an expired token
     * (into the shared config, where the lean path reads it next time).
     */
    private void post(String path, SchedulerWriteBodies.Body body, String what) {
        if (lean != null) {
            try {
                lean.post(path, body, what);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 401) {
                    throw e;
                }
            }
        }
        fabric8Post(path, body, what);
    }

    private void fabric8Post(String path, SchedulerWriteBodies.Body body, String what) {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        HttpClient http = client.getHttpClient();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try {
            SchedulerWriteBodies.write(body, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing the body of " + what, e);
        }
        HttpRequest request = http.newHttpRequestBuilder().uri(base + path)
                .post("application/json", bytes.toByteArray()).build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted: " + what);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (!response.isSuccessful()) {
            throw failure(what, response.code(), response.body());
        }
    }

    /**
     * The exception both transports throw for a non-2xx answer: the HTTP code, the API's Status when the body is
     * one, and a message naming the write and the server's reason (callers log it and put it in events).
     */
    static KubernetesClientException failure(String what, int code, String body) {
        Status status = null;
        if (body != null && body.startsWith("{")) {
            try {
                status = Serialization.unmarshal(body, Status.class);
            } catch (RuntimeException ignored) {
                // not a Status: the raw body goes into the message
            }
        }
        String detail = status != null && status.getMessage() != null ? status.getMessage() : body;
        return new KubernetesClientException(what + ": HTTP " + code + ": " + detail, code, status);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A core/v1 Event about the pod, as upstream's recorder fills it. */
    @Override
    public void recordEvent(Pod pod, String type, String reason, String action, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String eventName = name + "." + Long.toHexString(System.nanoTime());
        post("/api/v1/namespaces/" + enc(ns) + "/events",
                SchedulerWriteBodies.event(pod, eventName, type, reason, action, truncate(message), component, instance, now),
                "event " + reason + " for " + ns + "/" + name);
    }

    /** Upstream caps event messages at 1 KiB. */
    private static String truncate(String message) {
        return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }

    /** A strategic merge patch of the status subresource (conditions merge by type). */
    @Override
    public void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName) {
        Map<String, Object> status = new LinkedHashMap<>();
        if (condition != null) {
            status.put("conditions", List.of(condition));
        }
        if (nominatedNodeName != null) {
            status.put("nominatedNodeName", nominatedNodeName.isEmpty() ? null : nominatedNodeName);
        }
        if (status.isEmpty()) {
            return;
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("status", status);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), Serialization.asJson(patch));
    }

    @Override
    public void deletePod(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }
}
