package io.jk8s.store.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.jk8s.store.RangeResult;
import io.jk8s.store.Store;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WatchListener;
import io.jk8s.store.etcd.EtcdCluster;
import io.jk8s.store.etcd.EtcdStore;
import io.jk8s.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Store benchmark: small-write throughput and latency at 1, 16 and 64 concurrent writers, a 10,000-key
 * range read, and watch delivery latency, for SqliteStore, EtcdStore (one member) and raw jetcd puts
 * on the same etcd as the reference. Prints a Markdown table. Run with {@code scripts/bench-store}.
 *
 * <p>Arguments: {@code [--seconds N]} per write measurement (default 4), {@code [--etcd URL]} to use an
 * existing etcd instead of starting one, {@code [--dir PATH]} for the SQLite file (default: a temp dir), {@code [--skip-sqlite]}.
 */
public final class StoreBench {

    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final byte[] VALUE = new byte[128];
    private static final int RANGE_KEYS = 10_000;
    private static final int WATCH_EVENTS = 2_000;

    /** One write; implementations are thread-safe. */
    interface Writer {
        void write(String key) throws Exception;
    }

    record Stats(long ops, double seconds, double p50ms, double p99ms) {
        double perSecond() {
            return ops / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = 4;
        String etcdUrl = null;
        Path dir = null;
        boolean skipSqlite = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--etcd" -> etcdUrl = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                case "--skip-sqlite" -> skipSqlite = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path sqliteDir = dir != null ? dir : Files.createTempDirectory("jk8s-bench-");
        EtcdCluster cluster = etcdUrl == null ? EtcdCluster.start(1) : null;
        List<String> endpoints = cluster != null ? cluster.endpoints() : List.of(etcdUrl);
        System.out.printf("# jk8s store benchmark (%d s per write point, %d cores, value %d B, etcd %s)%n%n",
                seconds, Runtime.getRuntime().availableProcessors(), VALUE.length, endpoints);
        System.out.println("| store | writers | writes/s | p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        List<String> extra = new ArrayList<>();
        try {
            if (!skipSqlite) {
                try (SqliteStore sqlite = SqliteStore.open(sqliteDir.resolve("bench.db"))) {
                    runStore("SqliteStore", sqlite, seconds, extra);
                }
            }
            try (Client client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build()) {
                ByteSequence value = ByteSequence.from(VALUE);
                Writer raw = key -> client.getKVClient().put(ByteSequence.from(key.getBytes()), value).get(15, TimeUnit.SECONDS);
                runWrites("raw jetcd put", raw, "/raw", seconds);
                // The same compare-and-put transaction EtcdStore.create sends, without the store around it.
                Writer rawTxn = key -> {
                    ByteSequence k = ByteSequence.from(key.getBytes());
                    client.getKVClient().txn()
                            .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                            .Then(Op.put(k, value, PutOption.DEFAULT))
                            .Else(Op.get(k, GetOption.DEFAULT))
                            .commit().get(15, TimeUnit.SECONDS);
                };
                runWrites("raw jetcd txn (create-if-absent)", rawTxn, "/rawtxn", seconds);
            }
            try (EtcdStore etcd = EtcdStore.connect(endpoints, "/bench")) {
                runStore("EtcdStore (1 member)", etcd, seconds, extra);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        System.out.println();
        System.out.println("| store | measurement | result |");
        System.out.println("|---|---|---|");
        extra.forEach(System.out::println);
    }

    private static void runStore(String name, Store store, int seconds, List<String> extra) throws Exception {
        Writer w = key -> store.create(key, VALUE);
        runWrites(name, w, "/w", seconds);
        extra.addAll(rangeRead(name, store));
        extra.add(watchLatency(name, store));
    }

    private static void runWrites(String name, Writer writer, String prefix, int seconds) throws Exception {
        measure(writer, prefix + "/warmup", 16, Duration.ofSeconds(1));
        for (int c : CONCURRENCY) {
            Stats s = measure(writer, prefix + "/c" + c, c, Duration.ofSeconds(seconds));
            System.out.printf("| %s | %d | %,.0f | %.2f | %.2f |%n", name, c, s.perSecond(), s.p50ms(), s.p99ms());
        }
    }

    /** {@code concurrency} virtual threads write unique keys for {@code duration}, each timing every write. */
    static Stats measure(Writer writer, String prefix, int concurrency, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            Thread.ofVirtual().start(() -> {
                long[] mine = new long[4096];
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        writer.write(prefix + "/" + id + "/" + n);
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    latencies[id] = mine;
                    counts[id] = n;
                    done.countDown();
                }
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int pos = 0;
        for (int t = 0; t < concurrency; t++) {
            System.arraycopy(latencies[t], 0, all, pos, counts[t]);
            pos += counts[t];
        }
        Arrays.sort(all);
        return new Stats(total, elapsed, percentile(all, 0.50), percentile(all, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static List<String> rangeRead(String name, Store store) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Writer loader = key -> {
            int i = next.getAndIncrement();
            if (i < RANGE_KEYS) {
                store.create(String.format("/range/k%06d", i), VALUE);
            }
        };
        while (next.get() < RANGE_KEYS) {
            measure(loader, "/unused", 64, Duration.ofMillis(200));
        }
        double[] full = new double[5];
        double[] paged = new double[5];
        for (int i = 0; i < full.length; i++) {
            long t0 = System.nanoTime();
            RangeResult r = store.range("/range/", null, 0, 0);
            full[i] = (System.nanoTime() - t0) / 1e6;
            check(r.kvs().size() == RANGE_KEYS, "range returned " + r.kvs().size());

            t0 = System.nanoTime();
            int seen = 0;
            String from = null;
            long rev = 0;
            RangeResult page;
            do {
                page = store.range("/range/", from, 500, rev);
                rev = page.revision();
                seen += page.kvs().size();
                from = page.kvs().isEmpty() ? from : page.kvs().getLast().key() + "\0";
            } while (page.more());
            paged[i] = (System.nanoTime() - t0) / 1e6;
            check(seen == RANGE_KEYS, "paged range returned " + seen);
        }
        Arrays.sort(full);
        Arrays.sort(paged);
        return List.of(
                String.format("| %s | range of %,d keys, one request (median of 5) | %.1f ms |", name, RANGE_KEYS, full[2]),
                String.format("| %s | range of %,d keys, pages of 500 (median of 5) | %.1f ms |", name, RANGE_KEYS, paged[2]));
    }

    /** Time from just before a write is issued until its event reaches a watch listener. */
    private static String watchLatency(String name, Store store) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[WATCH_EVENTS];
        AtomicInteger received = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(WATCH_EVENTS);
        WatchListener l = new WatchListener() {
            @Override
            public void onEvent(WatchEvent e) {
                Long t0 = sentAt.get(e.kv().key());
                int i = received.getAndIncrement();
                if (t0 != null && i < WATCH_EVENTS) {
                    latencies[i] = System.nanoTime() - t0;
                    all.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
                t.printStackTrace();
            }
        };
        try (AutoCloseable w = store.watch("/watch/", store.currentRevision(), l)) {
            for (int i = 0; i < WATCH_EVENTS; i++) {
                String key = "/watch/k" + i;
                sentAt.put(key, System.nanoTime());
                store.create(key, VALUE);
            }
            check(all.await(30, TimeUnit.SECONDS), "watch delivered only " + received.get() + " events");
        }
        Arrays.sort(latencies);
        return String.format("| %s | watch delivery latency, write issued → listener (p50 / p99 of %,d) | %.2f / %.2f ms |",
                name, WATCH_EVENTS, percentile(latencies, 0.5), percentile(latencies, 0.99));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
