package io.jk8s.dns;

import io.jk8s.apiserver.testing.TestServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Queries per second and latency percentiles of ClusterDns over UDP from one client socket that keeps
 * {@code inFlight} queries outstanding. The server runs against the in-process API server holding
 * {@code services} ClusterIP Services; queries alternate between existing Service names (A) and
 * search-path misses (NXDOMAIN).
 *
 * <p>Usage: {@code DnsBenchmark [inFlight=64] [seconds=10] [services=200]}
 */
public final class DnsBenchmark {

    public static void main(String[] args) throws Exception {
        int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int services = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        try (TestServer api = TestServer.withBuiltinKinds().withNamespaces("default", "bench");
             ClusterDns dns = new ClusterDns(api.client, DnsConfig.loopback(List.of()))) {
            for (int i = 0; i < services; i++) {
                api.client.services().inNamespace("bench")
                        .resource(Objects.clusterIpService("bench", "svc-" + i, "10.96." + (i / 250) + "." + (1 + i % 250))).create();
            }
            dns.start().get(60, TimeUnit.SECONDS);
            byte[][] queries = new byte[services * 2][];
            for (int i = 0; i < services; i++) {
                queries[2 * i] = query("svc-" + i + ".bench.svc.cluster.local.");
                queries[2 * i + 1] = query("svc-" + i + ".bench.svc.cluster.local.bench.svc.cluster.local.");
            }
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", dns.port());
            run(server, queries, inFlight, 2, false);
            run(server, queries, inFlight, seconds, true);
        }
    }

    private static byte[] query(String name) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
    }

    private static void run(InetSocketAddress server, byte[][] queries, int inFlight, int seconds, boolean print) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.connect(server);
            Semaphore window = new Semaphore(inFlight);
            AtomicLongArray sentAt = new AtomicLongArray(65536);
            long[] latencies = new long[Math.max(1_000_000, seconds * 400_000)];
            LongAdder answered = new LongAdder();
            LongAdder errors = new LongAdder();
            int[] count = {0};
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Thread receiver = Thread.ofPlatform().start(() -> {
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (channel.isOpen()) {
                    try {
                        in.clear();
                        channel.receive(in);
                        long now = System.nanoTime();
                        int id = ((in.get(0) & 0xff) << 8) | (in.get(1) & 0xff);
                        int rcode = in.get(3) & 0x0f;
                        long started = sentAt.getAndSet(id, 0);
                        if (started == 0) continue;
                        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) errors.increment();
                        if (count[0] < latencies.length) latencies[count[0]++] = now - started;
                        answered.increment();
                        window.release();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long lost = 0;
            long sent = 0;
            long startNanos = System.nanoTime();
            int id = 1;
            while (System.nanoTime() < end) {
                if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    lost++;
                    window.release(); // give the lost slot back so the window does not shrink forever
                    continue;
                }
                byte[] q = queries[(int) (sent % queries.length)];
                id = (id + 1) & 0xffff;
                if (id == 0) id = 1;
                q[0] = (byte) (id >> 8);
                q[1] = (byte) id;
                sentAt.set(id, System.nanoTime());
                channel.write(ByteBuffer.wrap(q));
                sent++;
            }
            window.tryAcquire(inFlight, 2, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            channel.close();
            receiver.join();
            if (!print) return;
            long[] l = Arrays.copyOf(latencies, count[0]);
            Arrays.sort(l);
            System.out.printf("in-flight=%d duration=%.1fs sent=%d answered=%d errors=%d timeouts=%d%n",
                    inFlight, elapsed, sent, answered.sum(), errors.sum(), lost);
            System.out.printf("qps=%.0f p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms%n", answered.sum() / elapsed,
                    pct(l, 0.50), pct(l, 0.99), pct(l, 0.999), l.length == 0 ? 0 : l[l.length - 1] / 1e6);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
