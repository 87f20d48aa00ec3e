package io.jk8s.scheduler.testing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Small builders for test nodes and pods. */
public final class Objects {

    private Objects() {
    }

    /** A ready node with the given allocatable cpu/memory and 110 pods, labelled with its hostname. */
    public static NodeBuilder node(String name, String cpu, String memory) {
        Map<String, Quantity> alloc = new LinkedHashMap<>();
        alloc.put("cpu", new Quantity(cpu));
        alloc.put("memory", new Quantity(memory));
        alloc.put("pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus();
    }

    public static Node taintedNode(String name, String cpu, String memory, Taint taint) {
        return node(name, cpu, memory).editSpec().addToTaints(taint).endSpec().build();
    }

    /** A pending pod in namespace default with one container requesting cpu/memory (null = none). */
    public static PodBuilder pod(String name, String cpu, String memory) {
        Map<String, Quantity> req = new HashMap<>();
        if (cpu != null) {
            req.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            req.put("memory", new Quantity(memory));
        }
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid(UUID.randomUUID().toString())
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler")
                .addToContainers(new ContainerBuilder().withName("c").withImage("busybox:1.35")
                        .withNewResources().withRequests(req).endResources().build())
                .endSpec()
                .withNewStatus().withPhase("Pending").endStatus();
    }

    public static Pod withHostPort(Pod pod, int port) {
        return new PodBuilder(pod).editSpec().editFirstContainer()
                .addToPorts(new ContainerPortBuilder().withContainerPort(port).withHostPort(port).build())
                .endContainer().endSpec().build();
    }

    /** The pod bound to {@code node} and running. */
    public static Pod bound(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().editStatus().withPhase("Running").endStatus().build();
    }

    public static Pod edit(Pod pod, UnaryOperator<PodBuilder> f) {
        return f.apply(new PodBuilder(pod)).build();
    }
}
