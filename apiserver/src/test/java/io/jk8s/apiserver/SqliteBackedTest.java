package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server on the embedded default store: concurrent writes, informers, and a restart keeping state. */
class SqliteBackedTest {

    @TempDir
    Path dir;

    @Test
    void servesFromSqliteAndKeepsStateAcrossRestart() {
        Path db = dir.resolve("state.db");
        try (TestServer t = new TestServer(BuiltinRegistry.create(), SqliteStore.open(db))) {
            List<String> added = new CopyOnWriteArrayList<>();
            SharedIndexInformer<ConfigMap> inf = t.client.configMaps().inNamespace("default").inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap obj) {
                    added.add(obj.getMetadata().getName());
                }

                @Override
                public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                }

                @Override
                public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                }
            });
            IntStream.range(0, 30).parallel().forEach(i -> t.client.configMaps().inNamespace("default")
                    .resource(new ConfigMapBuilder().withNewMetadata().withName("sq-" + i).endMetadata().addToData("i", "" + i).build())
                    .create());
            assertThat(t.client.configMaps().inNamespace("default").list().getItems()).hasSize(30);
            await().atMost(Duration.ofSeconds(20)).until(() -> added.size() == 30);
            inf.close();
        }
        try (TestServer t = new TestServer(BuiltinRegistry.create(), SqliteStore.open(db))) {
            assertThat(t.client.configMaps().inNamespace("default").withName("sq-17").get().getData()).containsEntry("i", "17");
            assertThat(t.client.namespaces().withName("kube-system").get()).isNotNull();
        }
    }
}
