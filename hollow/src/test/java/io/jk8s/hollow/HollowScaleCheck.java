package io.jk8s.hollow;

import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale check, off by default: {@code mvn -pl hollow test -Dtest=HollowScaleCheck -Dhollow.nodes=1000}.
 * Prints registration time and the thread count while heartbeating.
 */
@EnabledIfSystemProperty(named = "hollow.nodes", matches = "\\d+")
class HollowScaleCheck {

    @Test
    void registersAndHeartbeatsManyNodes() throws Exception {
        int n = Integer.parseInt(System.getProperty("hollow.nodes"));
        try (TestServer api = TestServer.withBuiltinKinds()) {
            long t0 = System.nanoTime();
            try (HollowNodes nodes = new HollowNodes(api.client, HollowConfig.of(n).withHeartbeat(Duration.ofSeconds(10)))) {
                nodes.start().get(10, TimeUnit.MINUTES);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                await().atMost(Duration.ofMinutes(2)).until(() -> api.client.leases().inNamespace("kube-node-lease").list().getItems().size() == n);
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                System.out.printf("HOLLOW nodes=%d registered+ready in %d ms (%.0f nodes/s), live platform threads=%d%n",
                        n, ms, n * 1000.0 / ms, threads);
                assertThat(api.client.nodes().list().getItems()).hasSize(n);
            }
        }
    }
}
