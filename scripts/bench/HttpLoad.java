import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop HTTP/1.0 load (one new connection per request, as busybox httpd closes anyway) against named groups
 * of URLs, interleaved round by round so that both groups see the same machine load. JDK only; runs as
 * {@code java HttpLoad.java SECONDS_PER_ROUND ROUNDS CONCURRENCY name=url[,url...] ...} (e.g. in a pod's netns).
 * Prints requests/s per group and the ratio of every group to the first.
 */
public class HttpLoad {

    /** Why requests failed, over the whole run (connect timeouts mean a full accept backlog of the forking httpd). */
    private static final Map<String, LongAdder> ERRORS = new ConcurrentHashMap<>();

    private static void error(String kind) {
        ERRORS.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        Map<String, List<URI>> groups = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            List<URI> urls = new ArrayList<>();
            for (String u : kv[1].split(",")) urls.add(URI.create(u));
            groups.put(kv[0], urls);
        }
        Map<String, long[]> totals = new LinkedHashMap<>();
        groups.keySet().forEach(g -> totals.put(g, new long[2]));
        run(groups.values().iterator().next(), 1, concurrency); // warm-up
        for (int r = 0; r < rounds; r++) {
            for (var g : groups.entrySet()) {
                long[] ok = run(g.getValue(), seconds, concurrency);
                totals.get(g.getKey())[0] += ok[0];
                totals.get(g.getKey())[1] += ok[1];
                System.out.printf("round %d %-10s %8.0f req/s (%d errors)%n", r, g.getKey(), ok[0] / (double) seconds, ok[1]);
            }
        }
        double first = -1;
        for (var t : totals.entrySet()) {
            double rps = t.getValue()[0] / (double) (seconds * rounds);
            if (first < 0) first = rps;
            System.out.printf("%-10s %8.0f req/s over %d s, %d errors, %.1f%% of %s%n", t.getKey(), rps, seconds * rounds,
                    t.getValue()[1], 100 * rps / first, totals.keySet().iterator().next());
        }
        ERRORS.forEach((k, v) -> System.out.printf("error x%d: %s%n", v.sum(), k));
    }

    private static long[] run(List<URI> urls, int seconds, int concurrency) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int offset = c;
            threads.add(Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                for (int n = offset; !stop.get(); n++) {
                    URI u = urls.get(n % urls.size());
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort()), 2000);
                        s.setSoTimeout(2000);
                        OutputStream out = s.getOutputStream();
                        out.write(("GET " + u.getPath() + " HTTP/1.0\r\nHost: " + u.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        InputStream in = s.getInputStream();
                        int first = in.readNBytes(buf, 0, 12);
                        boolean is200 = first == 12 && new String(buf, 9, 3, StandardCharsets.US_ASCII).equals("200");
                        while (in.read(buf) >= 0) { }
                        if (is200) ok.increment();
                        else {
                            errors.increment();
                            error(first <= 0 ? "closed without a response" : "status line: "
                                    + new String(buf, 0, Math.min(first, 15), StandardCharsets.US_ASCII).strip());
                        }
                    } catch (Exception e) {
                        errors.increment();
                        error(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) t.join();
        return new long[] {ok.sum(), errors.sum()};
    }
}
