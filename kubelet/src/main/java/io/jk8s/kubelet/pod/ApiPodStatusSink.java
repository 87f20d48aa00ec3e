package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/** Publishes pod statuses to the API server (status subresource) and makes the final delete. */
public final class ApiPodStatusSink implements PodStatusSink {

    private final KubernetesClient client;

    public ApiPodStatusSink(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void report(Pod pod, PodStatus status) {
        // A merge patch of the whole status: lists (conditions, containerStatuses) replace the old ones.
        String patch = Serialization.asJson(Map.of("status", status));
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    @Override
    public void terminated(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
