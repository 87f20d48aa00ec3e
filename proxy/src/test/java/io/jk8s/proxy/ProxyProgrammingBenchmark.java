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
 * ({@code iptables -t nat -S KUBE-SEP-...} in the namespace).
 *
 * <pre>
 * mvn -B -q -o -pl proxy test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp proxy/target/classes:proxy/target/test-classes:$(cat proxy/target/cp.txt) io.jk8s.proxy.ProxyProgrammingBenchmark 1000 10 40
 * </pre>
 */
public final class ProxyProgrammingBenchmark {

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
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
            try (ServiceProxy proxy = new ServiceProxy(api.newClient(), ProxyConfig.of("node-1", List.of(), "10.244.0.0/16").withNetns(nsName))) {
                proxy.start().get(300, TimeUnit.SECONDS);
                System.out.printf("first sync (all rules) in %d ms%n", millisSince(t));

                Random random = new Random(42);
                List<Long> millis = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    int s = random.nextInt(services);
                    EndpointSlice slice = slices.get(s);
                    String newIp = "10.250." + (r / 250) + "." + (r % 250 + 1);
                    List<Endpoint> eps = new ArrayList<>(slice.getEndpoints());
                    eps.set(random.nextInt(eps.size()), endpoint(newIp, "node-1", true));
                    slice.setEndpoints(eps);
                    String sep = ChainNames.endpoint("default/svc-" + s + ":http", "TCP", newIp + ":8080");
                    long started = System.nanoTime();
                    slice = api.client.discovery().v1().endpointSlices().resource(slice).update();
                    slices.set(s, slice);
                    while (!node.exec("iptables", "-w", "5", "-t", "nat", "-S", sep).output().contains("DNAT")) {
                        if (millisSince(started) > 30_000) throw new IllegalStateException("rule for " + newIp + " not programmed in 30 s");
                        Thread.sleep(5);
                    }
                    millis.add(millisSince(started));
                }
                Collections.sort(millis);
                System.out.printf("endpoint change -> DNAT rule in place, %d Services x %d endpoints, n=%d: p50=%d ms p90=%d ms p99=%d ms max=%d ms (syncs: %d)%n",
                        services, perService, millis.size(), pct(millis, 0.5), pct(millis, 0.9), pct(millis, 0.99), millis.getLast(),
                        proxy.syncCount());
            }
        }
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
