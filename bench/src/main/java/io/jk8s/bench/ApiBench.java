package io.jk8s.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Measures a running API server over HTTPS the way issue 3 asks: pod create / get / update
 * throughput and p50/p99 at 1, 16 and 64 concurrent clients, list of all pods (cache and
 * consistent), 1,000 idle watchers (server memory and threads, delivery latency of one write to all
 * of them), and the server's RSS with all pods stored. Prints Markdown.
 *
 * <p>Usage: {@code ApiBench --kubeconfig F [--pods 10000] [--seconds 5] [--watchers 1000] [--server-pid PID]
 * [--phases create,get,update,list,watch] [--warmup 2000]} (pods are always created: the other phases use them).
 * Each client has its own keep-alive connection, as client-go's would under load.
 */
public final class ApiBench {

    private static final String NS = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] CLIENTS = {1, 16, 64};

    private final ApiTarget target;
    private final int pods;
    private final int seconds;
    private final int watchers;
    private final long serverPid;
    private final Set<String> phases;
    private final int warmup;

    private ApiBench(ApiTarget target, int pods, int seconds, int watchers, long serverPid, Set<String> phases, int warmup) {
        this.phases = phases;
        this.warmup = warmup;
        this.target = target;
        this.pods = pods;
        this.seconds = seconds;
        this.watchers = watchers;
        this.serverPid = serverPid;
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = null;
        int pods = 10_000, seconds = 5, watchers = 1_000, warmup = 2_000;
        long pid = -1;
        Set<String> phases = Set.of("create", "get", "update", "list", "watch");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--watchers" -> watchers = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--server-pid" -> pid = Long.parseLong(args[++i]);
                case "--phases" -> phases = Set.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (kubeconfig == null) throw new IllegalArgumentException("--kubeconfig is required");
        new ApiBench(ApiTarget.fromKubeconfig(kubeconfig), pods, seconds, watchers, pid, phases, warmup).run();
    }

    private void run() throws Exception {
        System.out.printf("API server %s, %d pods, %d s per get/update point, %d watchers, load average %s%n%n",
                target, pods, seconds, watchers, loadAverage());
        ensureNamespace();
        if (warmup > 0) {
            // Untimed creates first, as JMH warms up: the JIT compiles the write path (seconds of C2 CPU
            // on 2 cores) and the first measured point would otherwise time the compiler.
            createPods(16, -warmup, warmup, false);
            System.out.printf("(after %d untimed warm-up creates in namespace %s)%n%n", warmup, NS);
        }
        System.out.println("| operation | clients | ops/s | p50 ms | p99 ms | max ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        // 5% / 30% / 65% of the pods at 1 / 16 / 64 clients: every point long enough to be steady.
        int[] counts = {Math.max(100, pods / 20), pods * 3 / 10, 0};
        counts[2] = Math.max(0, pods - counts[0] - counts[1]);
        int next = 0;
        for (int i = 0; i < CLIENTS.length; i++) {
            createPods(CLIENTS[i], next, counts[i], true);
            next += counts[i];
        }
        int created = next;
        if (phases.contains("get")) for (int c : CLIENTS) getPods(c, created);
        if (phases.contains("update")) for (int c : CLIENTS) updatePods(c, created);
        System.out.println();
        int stored = created + Math.max(0, warmup);
        printServerMemory("after " + stored + " pods stored");
        if (phases.contains("list")) listPods(stored);
        if (phases.contains("watch")) watch(created);
        if (serverPid > 0) {
            // G1 gives memory back at its periodic collections when the server is idle (the launcher sets them):
            // the first one's remark shrinks the heap to what old garbage still occupies, the mixed collections
            // after it free that garbage, and a later one shrinks again. So report the first shrink and the
            // settled state.
            Thread.sleep(40_000);
            printServerMemory("after 40 s idle, all pods still stored");
            Thread.sleep(80_000);
            printServerMemory("after 120 s idle, all pods still stored");
        }
    }

    // ---------------------------------------------------------------- phases

    private void createPods(int clients, int from, int count, boolean report) throws Exception {
        AtomicInteger nextIndex = new AtomicInteger(from);
        int end = from + count;
        Point p = runClients(clients, 0, (conn, lat, errors, deadline) -> {
            for (int i = nextIndex.getAndIncrement(); i < end; i = nextIndex.getAndIncrement()) {
                byte[] body = podJson(i);
                long t0 = System.nanoTime();
                HttpConnection.Response r = conn.send("POST", "/api/v1/namespaces/" + NS + "/pods", body, "application/json");
                lat.record(System.nanoTime() - t0);
                if (r.status() != 201) errors.incrementAndGet();
            }
        });
        if (report) p.print("create pod", clients);
    }

    private void getPods(int clients, int created) throws Exception {
        Point p = runClients(clients, seconds, (conn, lat, errors, deadline) -> {
            while (System.nanoTime() < deadline) {
                String path = "/api/v1/namespaces/" + NS + "/pods/" + podName(ThreadLocalRandom.current().nextInt(created));
                long t0 = System.nanoTime();
                HttpConnection.Response r = conn.send("GET", path, null, null);
                lat.record(System.nanoTime() - t0);
                if (r.status() != 200) errors.incrementAndGet();
            }
        });
        p.print("get pod", clients);
    }

    /** PUTs of whole pods (a changed label), each client on its own pods so that no update conflicts. */
    private void updatePods(int clients, int created) throws Exception {
        AtomicInteger clientIds = new AtomicInteger();
        Point p = runClients(clients, seconds, (conn, lat, errors, deadline) -> {
            int id = clientIds.getAndIncrement();
            List<ObjectNode> mine = new ArrayList<>();
            for (int i = id; i < created && mine.size() < 20; i += clients) {
                HttpConnection.Response r = conn.send("GET", "/api/v1/namespaces/" + NS + "/pods/" + podName(i), null, null);
                if (r.status() == 200) mine.add((ObjectNode) JSON.readTree(r.body()));
            }
            for (long n = 0; System.nanoTime() < deadline && !mine.isEmpty(); n++) {
                int slot = (int) (n % mine.size());
                ObjectNode pod = mine.get(slot);
                ((ObjectNode) pod.with("metadata").with("labels")).put("rev", Long.toString(n));
                String path = "/api/v1/namespaces/" + NS + "/pods/" + pod.path("metadata").path("name").asText();
                byte[] body = JSON.writeValueAsBytes(pod);
                long t0 = System.nanoTime();
                HttpConnection.Response r = conn.send("PUT", path, body, "application/json");
                lat.record(System.nanoTime() - t0);
                if (r.status() == 200) {
                    mine.set(slot, (ObjectNode) JSON.readTree(r.body()));
                } else {
                    errors.incrementAndGet();
                }
            }
        });
        p.print("update pod (PUT)", clients);
    }

    private void listPods(int created) throws Exception {
        try (HttpConnection conn = target.connect()) {
            for (String query : List.of("resourceVersion=0", "")) {
                long[] ms = new long[7];
                int size = 0;
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    HttpConnection.Response r = conn.send("GET", "/api/v1/pods?" + query, null, null);
                    ms[i] = (System.nanoTime() - t0) / 1_000_000;
                    if (r.status() != 200) throw new IllegalStateException("list failed: " + r.status() + " " + r.text());
                    size = r.body().length;
                }
                Arrays.sort(ms);
                System.out.printf("list of all %d pods (%s, %.1f MB): median %d ms, min %d ms, max %d ms%n", created,
                        query.isEmpty() ? "consistent read from the store" : "resourceVersion=0, from the watch cache",
                        size / 1e6, ms[ms.length / 2], ms[0], ms[ms.length - 1]);
            }
        }
    }

    /**
     * Opens {@code watchers} watches on the namespace's pods, then writes 20 times and records, for each
     * write, when every watcher has seen it.
     */
    private void watch(int created) throws Exception {
        if (watchers <= 0) return;
        String rv;
        try (HttpConnection conn = target.connect()) {
            HttpConnection.Response r = conn.send("GET", "/api/v1/namespaces/" + NS + "/pods?limit=1", null, null);
            rv = JSON.readTree(r.body()).path("metadata").path("resourceVersion").asText();
        }
        int writes = 20;
        AtomicLongArray arrivals = new AtomicLongArray(writes * watchers);
        AtomicInteger open = new AtomicInteger();
        List<HttpConnection> conns = new ArrayList<>();
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int w = 0; w < watchers; w++) {
                HttpConnection conn = target.connect();
                conns.add(conn);
                int status = conn.openStream("/api/v1/namespaces/" + NS + "/pods?watch=1&allowWatchBookmarks=true&resourceVersion=" + rv);
                if (status != 200) throw new IllegalStateException("watch failed: " + status);
                open.incrementAndGet();
                int watcher = w;
                readers.submit(() -> {
                    while (true) {
                        String line = conn.nextLine();
                        int at = line.indexOf("\"watch-mark\":\"");
                        if (at < 0) continue;
                        int k = Integer.parseInt(line.substring(at + 14, line.indexOf('"', at + 14)));
                        arrivals.compareAndSet(k * watchers + watcher, 0, System.nanoTime());
                    }
                });
            }
            printServerMemory("with " + open.get() + " idle watchers");
            Latencies allDelivered = new Latencies();
            Latencies each = new Latencies();
            try (HttpConnection conn = target.connect()) {
                for (int k = 0; k < writes; k++) {
                    byte[] patch = ("{\"metadata\":{\"labels\":{\"watch-mark\":\"" + k + "\"}}}").getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    HttpConnection.Response r = conn.send("PATCH", "/api/v1/namespaces/" + NS + "/pods/" + podName(k % created),
                            patch, "application/merge-patch+json");
                    if (r.status() != 200) throw new IllegalStateException("patch failed: " + r.status());
                    long last = awaitAll(arrivals, k, watchers, t0 + TimeUnit.SECONDS.toNanos(30));
                    allDelivered.record(last - t0);
                    for (int w = 0; w < watchers; w++) {
                        long a = arrivals.get(k * watchers + w);
                        if (a != 0) each.record(a - t0);
                    }
                }
            }
            allDelivered = Latencies.merge(List.of(allDelivered));
            each = Latencies.merge(List.of(each));
            System.out.printf("%d watchers, %d writes: one write reaches one watcher p50 %.1f ms / p99 %.1f ms; "
                            + "reaches all %d watchers p50 %.1f ms / p99 %.1f ms (%d of %d deliveries seen)%n",
                    watchers, writes, each.percentileMillis(50), each.percentileMillis(99), watchers,
                    allDelivered.percentileMillis(50), allDelivered.percentileMillis(99), each.count(), writes * watchers);
        } finally {
            for (HttpConnection c : conns) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing a benchmark socket: nothing to do
                }
            }
            readers.shutdownNow();
        }
    }

    /** Waits (spinning politely) until all watchers saw write {@code k}; returns the last arrival time. */
    private static long awaitAll(AtomicLongArray arrivals, int k, int watchers, long deadlineNanos) throws InterruptedException {
        while (true) {
            long last = 0;
            boolean all = true;
            for (int w = 0; w < watchers; w++) {
                long a = arrivals.get(k * watchers + w);
                if (a == 0) {
                    all = false;
                    break;
                }
                last = Math.max(last, a);
            }
            if (all) return last;
            if (System.nanoTime() > deadlineNanos) throw new IllegalStateException("write " + k + " did not reach every watcher within 30 s");
            Thread.sleep(0, 200_000);
        }
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface ClientLoop {
        /** @param deadlineNanos when a timed loop stops (System.nanoTime); Long.MAX_VALUE for untimed ones */
        void run(HttpConnection conn, Latencies lat, AtomicInteger errors, long deadlineNanos) throws Exception;
    }

    private record Point(Latencies lat, int errors, double seconds) {
        void print(String op, int clients) {
            System.out.printf("| %s | %d | %,.0f | %.2f | %.2f | %.1f | %d |%n", op, clients, lat.count() / seconds,
                    lat.percentileMillis(50), lat.percentileMillis(99), lat.percentileMillis(100), errors);
        }
    }

    /**
     * Runs one loop per client on its own connection. A timed point's window starts once every connection
     * is open: 64 TLS handshakes on a busy machine can take longer than the window itself.
     */
    private Point runClients(int clients, int seconds, ClientLoop loop) throws Exception {
        List<Latencies> parts = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        List<HttpConnection> conns = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            conns.add(target.connect());
            parts.add(new Latencies());
        }
        long t0 = System.nanoTime();
        long deadline = seconds > 0 ? t0 + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                HttpConnection conn = conns.get(c);
                Latencies lat = parts.get(c);
                fs.add(ex.submit(() -> {
                    loop.run(conn, lat, errors, deadline);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            for (HttpConnection c : conns) c.close();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Point(Latencies.merge(parts), errors.get(), secs);
    }

    private void ensureNamespace() throws IOException {
        try (HttpConnection conn = target.connect()) {
            byte[] ns = ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}").getBytes(StandardCharsets.UTF_8);
            HttpConnection.Response r = conn.send("POST", "/api/v1/namespaces", ns, "application/json");
            if (r.status() != 201 && r.status() != 409) throw new IllegalStateException("cannot create namespace: " + r.status() + " " + r.text());
            // In a cluster the controller manager gives every namespace its `default` ServiceAccount, which pod
            // admission reads (from the watch cache) to add the token volume; `jk8s apiserver` alone has no
            // controller manager, so the benchmark creates it as the controller would.
            byte[] sa = ("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}").getBytes(StandardCharsets.UTF_8);
            r = conn.send("POST", "/api/v1/namespaces/" + NS + "/serviceaccounts", sa, "application/json");
            if (r.status() != 201 && r.status() != 409) throw new IllegalStateException("cannot create service account: " + r.status() + " " + r.text());
        }
    }

    /** Pod names are unique per run, so that runs against the same server do not collide. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 46_656, 36);

    private static String podName(int i) {
        return i < 0 ? "warmup-" + RUN + "-" + (-i) : "bench-" + RUN + "-" + i;
    }

    /** A pod as `kubectl run` would send it: one container, labels, a resource request. */
    private static byte[] podJson(int i) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + podName(i)
                + "\",\"labels\":{\"app\":\"bench\",\"run\":\"bench-" + (i % 100) + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox:1.35\",\"command\":[\"sleep\",\"3600\"],"
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}],\"restartPolicy\":\"Always\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void printServerMemory(String when) {
        if (serverPid <= 0) return;
        try {
            String rss = "?", threads = "?";
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:")) rss = line.substring(6).trim();
                if (line.startsWith("Threads:")) threads = line.substring(8).trim();
            }
            System.out.printf("server RSS %s, %s threads (%s)%n", rss, threads, when);
        } catch (IOException e) {
            System.out.println("server memory unknown: " + e.getMessage());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
