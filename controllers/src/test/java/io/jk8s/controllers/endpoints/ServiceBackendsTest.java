package io.jk8s.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoint conditions as upstream's EndpointSlice controller sets them (ready / serving / terminating). */
class ServiceBackendsTest {

    private static Service service(boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().addToSelector("app", "web").withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withPort(80).endPort().endSpec().build();
    }

    private static Pod pod(String name, String ip, boolean ready, boolean terminating) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").addToLabels("app", "web")
                .withDeletionTimestamp(terminating ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    private static ServiceBackends.Backend only(Service svc, Pod pod) {
        return ServiceBackends.group(svc, List.of(pod)).values().iterator().next().getFirst();
    }

    @Test
    void readyPodIsReadyAndServing() {
        var b = only(service(false), pod("a", "10.0.0.1", true, false));
        assertThat(List.of(b.ready(), b.serving(), b.terminating())).containsExactly(true, true, false);
    }

    @Test
    void terminatingPodIsNotReadyButStillServingWhileItsReadinessHolds() {
        var b = only(service(false), pod("a", "10.0.0.1", true, true));
        assertThat(List.of(b.ready(), b.serving(), b.terminating())).containsExactly(false, true, true);
        var gone = only(service(false), pod("a", "10.0.0.1", false, true));
        assertThat(List.of(gone.ready(), gone.serving(), gone.terminating())).containsExactly(false, false, true);
    }

    @Test
    void failingReadinessIsNeitherReadyNorServing() {
        var b = only(service(false), pod("a", "10.0.0.1", false, false));
        assertThat(List.of(b.ready(), b.serving(), b.terminating())).containsExactly(false, false, false);
    }

    @Test
    void publishNotReadyAddressesKeepsEveryPodReadyButServingTellsTheTruth() {
        var terminating = only(service(true), pod("a", "10.0.0.1", true, true));
        assertThat(List.of(terminating.ready(), terminating.serving(), terminating.terminating())).containsExactly(true, true, true);
        var unready = only(service(true), pod("b", "10.0.0.2", false, false));
        assertThat(List.of(unready.ready(), unready.serving())).containsExactly(true, false);
    }
}
