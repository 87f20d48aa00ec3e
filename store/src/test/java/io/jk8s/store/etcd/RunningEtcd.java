package io.jk8s.store.etcd;

import io.jk8s.store.Store;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real etcd cluster of {@code members} for one test class (started before its first test, killed
 * after its last); {@link #newStore()} gives each test its own key prefix on it. Register as a
 * static {@code @RegisterExtension} field.
 */
final class RunningEtcd implements BeforeAllCallback, AfterAllCallback {

    private final int members;
    private final AtomicInteger stores = new AtomicInteger();
    private EtcdCluster cluster;

    RunningEtcd(int members) {
        this.members = members;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.start(members);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    Store newStore() {
        return EtcdStore.connect(cluster.endpoints(), "/t" + stores.incrementAndGet());
    }
}
