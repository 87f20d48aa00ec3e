package io.jk8s.apiserver.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.registry.ResourceRegistry;
import io.jk8s.store.MemoryStore;
import io.jk8s.store.Store;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An API server on an ephemeral loopback port over a MemoryStore, plain HTTP, with a fabric8 client.
 * Other modules' tests use it through the apiserver test-jar ({@link #withBuiltinKinds()}).
 */
public final class TestServer implements AutoCloseable {

    public final Store store;
    public final ApiServer server;
    public final KubernetesClient client;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer() {
        this(new TestRegistry());
    }

    public TestServer(ResourceRegistry registry) {
        this(registry, new MemoryStore());
    }

    /** Takes ownership of {@code store} (closed with the server). */
    public TestServer(ResourceRegistry registry, Store store) {
        this.store = store;
        this.server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, registry);
        try {
            server.start().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("API server did not start", e);
        }
        Config config = new ConfigBuilder().withMasterUrl(url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The server with every built-in kind, as {@code jk8s server} serves them. */
    public static TestServer withBuiltinKinds() {
        return new TestServer(BuiltinRegistry.create());
    }

    /** Creates each namespace that does not exist yet. */
    public TestServer withNamespaces(String... names) {
        for (String ns : names) {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A raw request: method, path, content type, body (may be null), Accept (may be null). */
    public HttpResponse<String> raw(String method, String path, String contentType, String body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (accept != null) b.header("Accept", accept);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
        http.close();
    }
}
