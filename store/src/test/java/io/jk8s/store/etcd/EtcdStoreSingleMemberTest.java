package io.jk8s.store.etcd;

import io.jk8s.store.Store;
import io.jk8s.store.StoreConformanceTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The conformance suite on a one-member etcd; each test gets its own key prefix on the shared cluster. */
@Tag("etcd")
class EtcdStoreSingleMemberTest extends StoreConformanceTest {

    private static EtcdCluster cluster;
    private static final AtomicInteger TEST = new AtomicInteger();

    @BeforeAll
    static void startEtcd() {
        cluster = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Store newStore() {
        return EtcdStore.connect(cluster.endpoints(), "/t" + TEST.incrementAndGet());
    }
}
