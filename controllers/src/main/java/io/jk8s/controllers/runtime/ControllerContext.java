package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;

/** What every controller is built from: the API client, the shared informers, events, settings. */
public record ControllerContext(KubernetesClient client, Informers informers, EventRecorder events,
                                ControllerManagerConfig config) {

    public Clock clock() {
        return config.clock();
    }
}
