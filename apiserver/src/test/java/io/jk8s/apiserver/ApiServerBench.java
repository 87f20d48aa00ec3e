package io.jk8s.apiserver;

import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates pods at 16 and 64 concurrent clients, then times lists of all of them (cache and
 * consistent). Not a test: run with {@code java -cp <test classpath> io.jk8s.apiserver.ApiServerBench [pods] [memory|sqlite]}.
 */
public final class ApiServerBench {

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("apiserver-bench");
        boolean sqlite = args.length > 1 && args[1].equals("sqlite");
        System.out.println("store: " + (sqlite ? "SqliteStore in " + dir : "MemoryStore"));
        try (io.jk8s.store.Store store = sqlite ? io.jk8s.store.sqlite.SqliteStore.open(dir.resolve("state.db")) : new MemoryStore();
             ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create())) {
            server.start().get(30, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            create(http, base, 0, 500, 16, "warmup");
            create(http, base, 500, pods / 2, 16, "16 clients");
            create(http, base, 500 + pods / 2, pods - 500 - pods / 2, 64, "64 clients");
            for (String query : List.of("resourceVersion=0", "")) {
                long[] ms = new long[7];
                int size = 0;
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pods?" + query)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    ms[i] = (System.nanoTime() - t0) / 1_000_000;
                    size = r.body().length;
                    if (r.statusCode() != 200) throw new IllegalStateException("list failed: " + r.statusCode());
                }
                Arrays.sort(ms);
                System.out.printf("list %d pods (%s, %.1f MB): median %d ms, min %d ms, max %d ms%n", pods,
                        query.isEmpty() ? "consistent" : query, size / 1e6, ms[ms.length / 2], ms[0], ms[ms.length - 1]);
            }
        }
    }

    private static void create(HttpClient http, String base, int from, int count, int clients, String label) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        int end = from + count;
        AtomicInteger failures = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(ex.submit(() -> {
                    for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bench-" + i
                                + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}";
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/default/pods"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 201) failures.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("create %d pods, %s: %.0f creates/s (%d failures)%n", count, label, count / secs, failures.get());
    }
}
