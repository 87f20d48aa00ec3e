package io.jk8s.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Watch events and mixed lists get typed objects although kinds are registered only when they first arrive. */
class OnDemandKindSerializationTest {

    private final OnDemandKindSerialization serialization = new OnDemandKindSerialization();

    private static String watchEvent(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }

    @Test
    void watchEventObjectsGetTheirModelClass() {
        WatchEvent pod = serialization.unmarshal(watchEvent("ADDED",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"}}"), WatchEvent.class);
        WatchEvent slice = serialization.unmarshal(watchEvent("MODIFIED",
                "{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"s\"},\"addressType\":\"IPv4\"}"),
                WatchEvent.class);
        WatchEvent gone = serialization.unmarshal(watchEvent("ERROR",
                "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":410,\"reason\":\"Expired\"}"), WatchEvent.class);

        assertThat(pod.getObject()).isInstanceOfSatisfying(Pod.class, p -> assertThat(p.getSpec().getNodeName()).isEqualTo("n1"));
        // the v1 class, not discovery.v1beta1's class of the same simple name
        assertThat(slice.getObject()).isInstanceOfSatisfying(EndpointSlice.class, s -> assertThat(s.getAddressType()).isEqualTo("IPv4"));
        assertThat(gone.getObject()).isInstanceOfSatisfying(Status.class, s -> assertThat(s.getCode()).isEqualTo(410));
    }

    @Test
    void kindsWithoutAModelClassStayGeneric() {
        WatchEvent widget = serialization.unmarshal(watchEvent("ADDED",
                "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"size\":3}"), WatchEvent.class);

        assertThat(widget.getObject()).isInstanceOfSatisfying(GenericKubernetesResource.class,
                w -> assertThat(w.getAdditionalProperties()).containsEntry("size", 3));
    }

    @Test
    void listsOfMixedKindsAreTyped() {
        KubernetesList list = serialization.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
                + "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}},"
                + "{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"s\"}}]}", KubernetesList.class);

        assertThat(list.getItems()).extracting(Object::getClass).containsExactly((Class) Pod.class, EndpointSlice.class);
    }

    @Test
    void theFirstUntypedEventLoadsOnlyItsOwnKind() {
        // Pod's own classes (and Jackson's for them) loaded first, typed, so that only the registry's cost is counted.
        serialization.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"warm\"}}", Pod.class);
        var classes = ManagementFactory.getClassLoadingMXBean();
        long before = classes.getTotalLoadedClassCount();

        serialization.unmarshal(watchEvent("ADDED", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}"),
                WatchEvent.class);

        // fabric8's ServiceLoader registry instantiates every KubernetesResource here: ~590 classes. Its registry is
        // static, so with fabric8's serialization this fails only as the JVM's first untyped read (run it alone).
        assertThat(classes.getTotalLoadedClassCount() - before).isLessThan(150);
    }
}
