package io.jk8s.scheduler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** {@link SchedulerApi} over a fabric8 client. */
public final class Fabric8SchedulerApi implements SchedulerApi {

    /** Bodies are written on short-lived virtual threads: a shared buffer pool, not Jackson's per-thread one. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private final KubernetesClient client;
    private final String component;
    private final String instance;

    public Fabric8SchedulerApi(KubernetesClient client, String component, String instance) {
        this.client = client;
        this.component = component;
        this.instance = instance;
    }

    /** POSTs a {@code Binding} to {@code /api/v1/namespaces/{ns}/pods/{name}/binding}. */
    @Override
    public void bind(Pod pod, String nodeName) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        ObjectNode binding = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Binding");
        putIfSet(binding.putObject("metadata").put("name", name).put("namespace", ns), "uid", pod.getMetadata().getUid());
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", nodeName);
        post("/api/v1/namespaces/" + enc(ns) + "/pods/" + enc(name) + "/binding", binding,
                "binding " + ns + "/" + name + " to " + nodeName);
    }

    /**
     * Every pod costs a binding and an event, so both are one POST of a body written here, and only
     * a failure's response is read: going through fabric8's typed create cost a model serialisation,
     * a response parse into an Event nobody reads, and a cancelled timeout future per call.
     */
    private void post(String path, ObjectNode body, String what) {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        HttpClient http = client.getHttpClient();
        HttpRequest request;
        try {
            request = http.newHttpRequestBuilder().uri(base + path)
                    .post("application/json", JSON.writeValueAsBytes(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
            throw new KubernetesClientException(what + ": HTTP " + response.code() + ": " + response.body(), response.code(), null);
        }
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
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
        ObjectNode event = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        event.putObject("metadata").put("name", name + "." + Long.toHexString(System.nanoTime())).put("namespace", ns);
        ObjectNode involved = event.putObject("involvedObject").put("apiVersion", "v1").put("kind", "Pod")
                .put("namespace", ns).put("name", name);
        putIfSet(involved, "uid", pod.getMetadata().getUid());
        putIfSet(involved, "resourceVersion", pod.getMetadata().getResourceVersion());
        event.put("type", type).put("reason", reason).put("action", action).put("message", truncate(message));
        event.putObject("source").put("component", component);
        event.put("reportingComponent", component).put("reportingInstance", instance)
                .put("firstTimestamp", now).put("lastTimestamp", now).put("count", 1);
        post("/api/v1/namespaces/" + enc(ns) + "/events", event, "event " + reason + " for " + ns + "/" + name);
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
