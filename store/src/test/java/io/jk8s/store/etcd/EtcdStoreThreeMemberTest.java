package io.jk8s.store.etcd;

import io.jk8s.store.Store;
import io.jk8s.store.StoreConformanceTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite on a three-member etcd; each test gets its own key prefix on the shared cluster. */
@Tag("etcd")
class EtcdStoreThreeMemberTest extends StoreConformanceTest {

    @RegisterExtension
    static final RunningEtcd ETCD = new RunningEtcd(3);

    @Override
    protected Store newStore() {
        return ETCD.newStore();
    }
}
