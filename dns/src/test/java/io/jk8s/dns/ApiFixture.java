package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;

import java.util.concurrent.TimeUnit;

/** The real API server in-process over a MemoryStore, plain HTTP on an ephemeral loopback port. */
final class ApiFixture implements AutoCloseable {

    final KubernetesClient client;
    private final MemoryStore store = new MemoryStore();
    private final ApiServer server;

    ApiFixture(String... namespaces) {
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create());
        try {
            server.start().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("API server did not start", e);
        }
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.port())
                .withNamespace("default").withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
        for (String ns : namespaces) {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
