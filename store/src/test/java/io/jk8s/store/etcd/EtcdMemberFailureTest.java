package io.jk8s.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.jk8s.store.KeyValue;
import io.jk8s.store.RecordingListener;
import io.jk8s.store.StoreException;
import io.jk8s.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Killing the etcd leader mid-stream: no acknowledged write is lost and the watch keeps delivering in order. */
@Tag("etcd")
class EtcdMemberFailureTest {

    private static final int WRITES = 300;

    @Test
    @Timeout(120)
    void leaderKilledWhileWritingAndWatching() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            EtcdCluster.Member leader = leader(cluster);
            List<String> endpoints = new ArrayList<>();
            endpoints.add(leader.clientUrl());
            cluster.members().stream().filter(m -> m != leader).forEach(m -> endpoints.add(m.clientUrl()));

            // pick_first pins writes and the watch stream to the leader, the member we kill.
            try (EtcdStore store = EtcdStore.connect(endpoints, "/failover", "pick_first")) {
                RecordingListener watch = new RecordingListener();
                store.watch("/registry/", store.currentRevision(), watch);

                Map<String, Long> acked = new TreeMap<>();
                int failures = 0;
                for (int i = 0; acked.size() < WRITES; i++) {
                    if (acked.size() == WRITES / 3 && leader.running()) {
                        cluster.kill(leader);
                    }
                    String key = "/registry/k" + i;
                    try {
                        WriteResult r = store.create(key, key.getBytes(StandardCharsets.UTF_8));
                        if (r instanceof WriteResult.Ok ok) {
                            acked.put(key, ok.kv().modRevision());
                        }
                    } catch (StoreException e) {
                        failures++; // outcome unknown (e.g. leader lost mid-request): not acknowledged
                        assertThat(failures).as("writes keep failing after the leader was killed").isLessThan(200);
                        TimeUnit.MILLISECONDS.sleep(20); // client back-off, not synchronisation
                    }
                }
                assertThat(leader.running()).isFalse();

                for (Map.Entry<String, Long> e : acked.entrySet()) {
                    KeyValue kv = store.get(e.getKey()).orElseThrow(() -> new AssertionError("lost acknowledged write " + e));
                    assertThat(kv.modRevision()).isEqualTo(e.getValue());
                }
                long last = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                await().atMost(Duration.ofSeconds(30)).until(() -> !watch.revisions().isEmpty() && watch.revisions().getLast() >= last);
                List<Long> seen = watch.revisions();
                assertThat(seen).isSorted().doesNotHaveDuplicates().containsAll(acked.values());
                assertThat(watch.error()).isNull();
                assertThat(watch.overlapped()).isFalse();
            }
        }
    }

    private static EtcdCluster.Member leader(EtcdCluster cluster) throws Exception {
        try (Client client = Client.builder().endpoints(cluster.endpoints().toArray(String[]::new)).build()) {
            for (EtcdCluster.Member m : cluster.members()) {
                StatusResponse s = client.getMaintenanceClient().statusMember(m.clientUrl()).get(10, TimeUnit.SECONDS);
                if (s.getLeader() == s.getHeader().getMemberId()) {
                    return m;
                }
            }
        }
        throw new AssertionError("no leader found");
    }
}
