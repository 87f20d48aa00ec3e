import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop DNS A queries over UDP: IN_FLIGHT clients, each with its own socket, one query outstanding each.
 * JDK only: {@code java DnsLoad.java SERVER[:PORT] SECONDS IN_FLIGHT NAME...} (e.g. in a pod's netns against
 * 10.96.0.10). Prints queries/s, p50/p99 latency, timeouts and the response codes seen.
 */
public class DnsLoad {

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        InetSocketAddress server = new InetSocketAddress(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 53);
        int seconds = Integer.parseInt(args[1]);
        int inFlight = Integer.parseInt(args[2]);
        List<String> names = List.of(args).subList(3, args.length);
        LongAdder timeouts = new LongAdder();
        long[] rcodes = new long[16];
        List<List<Long>> latencies = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < inFlight; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            int offset = c;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    s.setSoTimeout(1000);
                    byte[] in = new byte[1500];
                    for (int n = offset; !stop.get(); n++) {
                        int id = n & 0xffff;
                        byte[] q = query(id, names.get(n % names.size()));
                        long t = System.nanoTime();
                        s.send(new DatagramPacket(q, q.length, server));
                        try {
                            DatagramPacket p = new DatagramPacket(in, in.length);
                            do {
                                s.receive(p);
                            } while (((in[0] & 0xff) << 8 | (in[1] & 0xff)) != id);
                            mine.add(System.nanoTime() - t);
                            synchronized (rcodes) { rcodes[in[3] & 0x0f]++; }
                        } catch (SocketTimeoutException e) {
                            timeouts.increment();
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) t.join();
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        Collections.sort(all);
        System.out.printf("%d in flight, %d s: %.0f queries/s, p50 %.2f ms, p99 %.2f ms, %d timeouts, NOERROR %d, NXDOMAIN %d, SERVFAIL %d%n",
                inFlight, seconds, all.size() / (double) seconds, pct(all, 0.5), pct(all, 0.99), timeouts.sum(), rcodes[0], rcodes[3], rcodes[2]);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1)) / 1e6;
    }

    private static byte[] query(int id, String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) continue;
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }
}
