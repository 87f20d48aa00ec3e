package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many idle watchers cost no thread each, and one write reaches all of them. */
class WatchFanoutTest {

    static final int WATCHERS = 1_000;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void oneWriteReachesAThousandIdleWatchersWithoutAThreadEach() throws Exception {
        int platformThreadsBefore = Thread.getAllStackTraces().size();
        String rv = t.client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
        CountDownLatch received = new CountDownLatch(WATCHERS);
        List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            for (int i = 0; i < WATCHERS; i++) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(t.url()
                        + "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=30&resourceVersion=" + rv)).build();
                streams.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenApply(r -> {
                    Thread.ofVirtual().start(() -> r.body().filter(l -> l.contains("fanout")).findFirst().ifPresent(l -> received.countDown()));
                    return r;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> t.server.watchCount() == WATCHERS);
            // Server side, watchers are entries in a set, not threads.
            assertThat(Thread.getAllStackTraces().size() - platformThreadsBefore).isLessThan(100);
            t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("fanout")
                    .endMetadata().build()).create();
            assertThat(received.await(30, TimeUnit.SECONDS)).as("every watcher saw the event").isTrue();
            Consumer<CompletableFuture<HttpResponse<Stream<String>>>> close = f -> f.thenAccept(r -> r.body().close());
            streams.forEach(close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> t.server.watchCount() == 0);
    }
}
