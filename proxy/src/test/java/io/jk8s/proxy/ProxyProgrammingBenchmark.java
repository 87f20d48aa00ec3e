package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.service;
import static io.jk8s.proxy.Fixtures.slice;

/**
 * Service programming latency at scale (root; real iptables in a network namespace this creates and deletes):
 * S Services × E endpoints with made-up pod IPs through the in-process API server, then R rounds of "replace one
 * endpoint of a random Service" timed from the API update until the new endpoint's DNAT rule is in the kernel
 * (the moment the {@code iptables-restore} or {@code nft -f} whose input holds it returns, i.e. after the kernel's
 * commit: {@link CommitClock}; the last one is also checked in the kernel). Polling {@code iptables -S} or
 * {@code nft list} instead costs O(table) CPU per call and slowed the very syncs being measured. Also prints the
 * CPU seconds of the proxy's child processes per sync. The fourth argument is the proxy mode ({@code iptables}
 * or {@code nftables}; default iptables).
 *
 * <pre>
 * mvn -B -q -o -pl proxy test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp proxy/target/classes:proxy/target/test-classes:$(cat proxy/target/cp.txt) io.jk8s.proxy.ProxyProgrammingBenchmark 1000 10 40 iptables
 * java -cp proxy/target/classes:proxy/target/test-classes:$(cat proxy/target/cp.txt) io.jk8s.proxy.ProxyProgrammingBenchmark 1000 10 40 nftables
 * </pre>
 */
public final class ProxyProgrammingBenchmark {

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        ProxyMode mode = args.length > 3 ? ProxyMode.parse(args[3]) : ProxyMode.IPTABLES;
        String nsName = "jk8s-proxy-bench-" + UUID.randomUUID().toString().substring(0, 6);
        try (ApiFixture api = new ApiFixture(); Netns node = new Netns(nsName)) {
            long t = System.nanoTime();
            List<EndpointSlice> slices = new ArrayList<>();
            for (int s = 0; s < services; s++) {
                String name = "svc-" + s;
                api.client.services().resource(service(name, "10.100." + (s / 250) + "." + (s % 250 + 1)).build()).create();
                List<Endpoint> eps = new ArrayList<>();
                for (int e = 0; e < perService; e++) eps.add(endpoint(podIp(s * perService + e), "node-1", true));
                slices.add(api.client.discovery().v1().endpointSlices().resource(slice(name + "-x", name, 8080, eps)).create());
            }
            System.out.printf("created %d Services x %d endpoints in %d ms%n", services, perService, millisSince(t));

            t = System.nanoTime();
            ProxyConfig cfg = ProxyConfig.of("node-1", List.of(), "10.244.0.0/16").withNetns(nsName);
            CommitClock commits = new CommitClock();
            ProxyBackend backend = mode == ProxyMode.IPTABLES
                    ? new IptablesBackend(commits.wrap(new CommandIptables(cfg)), new RuleBuilder(cfg))
                    : new io.jk8s.proxy.nftables.NftablesBackend(commits.wrap(new io.jk8s.proxy.nftables.CommandNft(nsName)), cfg);
            try (ServiceProxy proxy = new ServiceProxy(api.newClient(), cfg, backend, Conntrack.NONE)) {
                proxy.start().get(300, TimeUnit.SECONDS);
                System.out.printf("first sync (all rules) in %d ms%n", millisSince(t));

                Random random = new Random(42);
                List<Long> millis = new ArrayList<>();
                double cpuBefore = CommitClock.childCpuSeconds();
                long syncsBefore = proxy.syncCount();
                // The first changes after the full sync run code this short-lived JVM has not compiled yet (the
                // client's PUT, the API server's update path, the informer, the incremental sync): ~0.9-1.1 s for
                // the first one. A long-running proxy has them warm, so the first WARMUP rounds are printed, not counted.
                final int warmup = 5;
                List<Long> warmupMillis = new ArrayList<>();
                for (int r = -warmup; r < rounds; r++) {
                    int s = random.nextInt(services);
                    EndpointSlice slice = slices.get(s);
                    String newIp = r < 0 ? "10.251.0." + (-r) : "10.250." + (r / 250) + "." + (r % 250 + 1);
                    List<Endpoint> eps = new ArrayList<>(slice.getEndpoints());
                    eps.set(random.nextInt(eps.size()), endpoint(newIp, "node-1", true));
                    slice.setEndpoints(eps);
                    long started = System.nanoTime();
                    slice = api.client.discovery().v1().endpointSlices().resource(slice).update();
                    slices.set(s, slice);
                    Long seen = commits.awaitCommitHolding(dnatTarget(mode, newIp), started, java.time.Duration.ofSeconds(30));
                    if (seen == null) throw new IllegalStateException("rule for " + newIp + " not programmed in 30 s");
                    (r < 0 ? warmupMillis : millis).add((seen - started) / 1_000_000);
                    if (r == -1) {
                        cpuBefore = CommitClock.childCpuSeconds();
                        syncsBefore = proxy.syncCount();
                    }
                }
                System.out.printf("warm-up rounds (not counted): %s ms%n", warmupMillis);
                int slowest = millis.indexOf(java.util.Collections.max(millis));
                System.out.printf("slowest: round %d of %d, %d ms%n", slowest + 1, rounds, millis.get(slowest));
                double cpu = CommitClock.childCpuSeconds() - cpuBefore;
                long syncs = proxy.syncCount() - syncsBefore;
                String lastIp = dnatTarget(mode, "10.250." + ((rounds - 1) / 250) + "." + ((rounds - 1) % 250 + 1));
                String kernel = mode == ProxyMode.IPTABLES ? node.exec("iptables-save", "-t", "nat").output()
                        : node.exec("nft", "list", "table", "ip", io.jk8s.proxy.nftables.NftNames.TABLE).output();
                if (!kernel.contains(lastIp)) throw new IllegalStateException("committed rule for " + lastIp + " is not in the kernel");
                Collections.sort(millis);
                System.out.printf("%s: endpoint change -> DNAT rule in place, %d Services x %d endpoints, n=%d: p50=%d ms p90=%d ms p99=%d ms max=%d ms (syncs: %d)%n",
                        mode.flagValue(), services, perService, millis.size(), pct(millis, 0.5), pct(millis, 0.9), pct(millis, 0.99), millis.getLast(),
                        proxy.syncCount());
                System.out.printf("%s: child process CPU %.2f s over %d syncs = %.0f ms per sync; load average %s%n", mode.flagValue(),
                        cpu, syncs, cpu * 1000 / Math.max(1, syncs), java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
            }
        }
    }

    /** How a DNAT to {@code ip}:8080 reads in the backend's input and listing (nftables: an element of the service chain's numgen map). */
    private static String dnatTarget(ProxyMode mode, String ip) {
        return mode == ProxyMode.IPTABLES ? ip + ":8080" : ip + " . 8080";
    }

    private static String podIp(int i) {
        return "10.244." + (i / 250) + "." + (i % 250 + 1);
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
