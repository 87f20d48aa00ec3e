package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OwnerEventsTest {

    private final List<String> queued = new ArrayList<>();
    private final Expectations expectations = new Expectations(Clock.systemUTC());

    @Test
    void ownerEventsQueueTheOwnerAndADeleteDropsItsExpectations() {
        ResourceEventHandler<Job> handler = OwnerEvents.owner(expectations, queued::add);
        Job job = new JobBuilder().withNewMetadata().withNamespace("ns").withName("pi").endMetadata().build();
        expectations.expect("ns/pi", 1, 0);

        handler.onAdd(job);
        handler.onUpdate(job, job);
        assertThat(expectations.satisfied("ns/pi")).isFalse();
        handler.onDelete(job, false);

        assertThat(queued).containsExactly("ns/pi", "ns/pi", "ns/pi");
        assertThat(expectations.satisfied("ns/pi")).isTrue();
    }

    @Test
    void controlledObjectsQueueTheirControllerOfThatKindOnly() {
        ResourceEventHandler<Pod> handler = OwnerEvents.controlled("StatefulSet", queued::add);

        handler.onAdd(pod("web-0", "StatefulSet", "web", true));
        handler.onUpdate(pod("a", "ReplicaSet", "rs", true), pod("a", "ReplicaSet", "rs", true));
        handler.onDelete(pod("b", "StatefulSet", "web", false), false); // owner, but not its controller
        handler.onDelete(pod("web-1", "StatefulSet", "web", true), false);

        assertThat(queued).containsExactly("ns/web", "ns/web");
    }

    @Test
    void creationsOfControlledObjectsAreCountedTowardTheOwnersExpectations() {
        ResourceEventHandler<Pod> handler = OwnerEvents.controlled("Job", expectations, queued::add);
        expectations.expect("ns/pi", 2, 0);

        handler.onAdd(pod("pi-1", "Job", "pi", true));
        assertThat(expectations.satisfied("ns/pi")).isFalse();
        handler.onAdd(pod("pi-2", "Job", "pi", true));

        assertThat(expectations.satisfied("ns/pi")).isTrue();
        assertThat(queued).containsExactly("ns/pi", "ns/pi");
    }

    @Test
    void aGracefulDeletionCountsWhenMarkedAndNotAgainWhenTheObjectGoes() {
        ResourceEventHandler<Pod> handler = OwnerEvents.controlled("DaemonSet", expectations, queued::add);
        expectations.expect("ns/ds", 0, 2);
        Pod running = pod("ds-a", "DaemonSet", "ds", true);
        Pod marked = new PodBuilder(running).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();

        handler.onUpdate(running, marked);
        assertThat(expectations.satisfied("ns/ds")).isFalse();
        handler.onUpdate(marked, marked);
        handler.onDelete(marked, false);
        assertThat(expectations.satisfied("ns/ds")).isFalse();

        handler.onDelete(pod("ds-b", "DaemonSet", "ds", true), false); // deleted at once, never marked
        assertThat(expectations.satisfied("ns/ds")).isTrue();
        assertThat(queued).hasSize(4).containsOnly("ns/ds");
    }

    @Test
    void objectsOfOtherOwnersTouchNeitherQueueNorExpectations() {
        ResourceEventHandler<Pod> handler = OwnerEvents.controlled("Job", expectations, queued::add);
        expectations.expect("ns/pi", 1, 1);

        handler.onAdd(pod("x", "ReplicaSet", "pi", true));
        handler.onDelete(pod("y", "ReplicaSet", "pi", true), false);

        assertThat(queued).isEmpty();
        assertThat(expectations.satisfied("ns/pi")).isFalse();
    }

    private static Pod pod(String name, String ownerKind, String ownerName, boolean controller) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .addNewOwnerReference().withKind(ownerKind).withName(ownerName).withUid("uid-" + ownerName)
                .withController(controller).endOwnerReference()
                .endMetadata().build();
    }
}
