package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
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
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String url = base + "/api/v1/namespaces/" + enc(ns) + "/pods/" + enc(name) + "/binding";
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url)
                .post("application/json", Serialization.asJson(binding)).build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while binding " + ns + "/" + name);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("binding " + ns + "/" + name + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (!response.isSuccessful()) {
            throw new KubernetesClientException("binding " + ns + "/" + name + " to " + nodeName + ": HTTP "
                    + response.code() + ": " + response.body(), response.code(), null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void recordEvent(Pod pod, String type, String reason, String action, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = pod.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(ns)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1").withKind("Pod").withNamespace(ns).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withAction(action).withMessage(truncate(message))
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance(instance)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        client.v1().events().inNamespace(ns).resource(event).create();
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
