package io.jk8s.proxy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;

import java.util.concurrent.TimeUnit;

/** The real API server in-process on an ephemeral loopback port (plain HTTP, memory store) and a fabric8 client. */
final class ApiFixture implements AutoCloseable {

    private final MemoryStore store = new MemoryStore();
    private final ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create());
    final KubernetesClient client;

    ApiFixture() throws Exception {
        server.start().get(30, TimeUnit.SECONDS);
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.port()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A second client, as a separate component would have. */
    KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
