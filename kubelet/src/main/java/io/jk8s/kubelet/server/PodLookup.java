package io.jk8s.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Optional;

/**
 * The pods bound to this node as the kubelet currently knows them (its informer cache). The
 * server answers only for these, as upstream's kubelet does with its pod manager.
 *
 * <p>Called from server threads concurrently; implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface PodLookup {

    Optional<Pod> find(String namespace, String name);
}
