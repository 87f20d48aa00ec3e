package io.jk8s.api.client;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DirectWatchEventSerializationTest {

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","resourceVersion":"42",
             "labels":{"app":"a"},"annotations":{"x":"y"}},
             "spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox",
               "resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}],"futureField":{"nested":[1,2]}},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True","lastProbeTime":null}]}}""";

    private final DirectWatchEventSerialization direct = new DirectWatchEventSerialization();
    private final KubernetesSerialization fabric8 = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {
            // apiVersion and kind first, as servers write them
            "{\"type\":\"MODIFIED\",\"object\":" + POD + "}",
            // kind last: everything before it is buffered and replayed
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n\",\"resourceVersion\":\"7\"},\"spec\":{\"unschedulable\":true},\"apiVersion\":\"v1\",\"kind\":\"Node\"}}",
            // object before type
            "{\"object\":{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"n\"}},\"type\":\"DELETED\"}",
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"99\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}",
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}}",
    })
    void decodesRegisteredKindsDirectlyAndAsFabric8Does(String json) {
        WatchEvent fast = direct.decodeWatchEvent(json);
        assertThat(fast).as("direct path taken").isNotNull();
        WatchEvent expected = fabric8.unmarshal(json, WatchEvent.class);
        assertThat(fast.getType()).isEqualTo(expected.getType());
        assertThat(fast.getObject()).isInstanceOf(expected.getObject().getClass()).isEqualTo(expected.getObject());
        assertThat(direct.unmarshal(json, WatchEvent.class).getObject()).isEqualTo(expected.getObject());
    }

    @Test
    void keepsUnknownFieldsOfTheObject() {
        WatchEvent e = direct.decodeWatchEvent("{\"type\":\"MODIFIED\",\"object\":" + POD + "}");
        Pod pod = (Pod) e.getObject();
        assertThat(pod.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(pod.getSpec().getAdditionalProperties()).containsKey("futureField");
        assertThat(pod.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo("PodScheduled"));
        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // a custom resource: fabric8 makes it a GenericKubernetesResource
            "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"a\":1}}}",
            // an event field this decoder does not know
            "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}},\"extra\":1}",
            // no kind
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n\"}}}",
    })
    void leavesAnythingElseToFabric8(String json) {
        assertThat(direct.decodeWatchEvent(json)).isNull();
        WatchEvent expected = fabric8.unmarshal(json, WatchEvent.class);
        assertThat(direct.unmarshal(json, WatchEvent.class).getObject()).isEqualTo(expected.getObject());
    }

    @Test
    void customResourceStillDecodesAsGeneric() {
        WatchEvent e = direct.unmarshal("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"}}}", WatchEvent.class);
        assertThat(e.getObject()).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void otherTypesAreUnchanged() {
        Node n = direct.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}", Node.class);
        assertThat(n.getMetadata().getName()).isEqualTo("n");
        Status s = direct.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"code\":404}", Status.class);
        assertThat(s.getCode()).isEqualTo(404);
    }
}
