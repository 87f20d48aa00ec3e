package io.jk8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fabric8 Java client, configured only from admin.kubeconfig, over TLS with the client certificate. */
@ExtendWith(SharedServer.class)
class Fabric8ClientTest {

    private static final String NS = "e2e-fabric8";
    private static KubernetesClient client;

    @BeforeAll
    static void connect(Jk8sServer server) {
        Config config = Config.fromKubeconfig(null, server.kubeconfig().toFile());
        client = new KubernetesClientBuilder().withConfig(config).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withData(data).build();
    }

    @Test
    void createGetUpdateListDelete() {
        ConfigMap created = client.configMaps().inNamespace(NS).resource(configMap("crud", Map.of("a", "1"))).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap read = client.configMaps().inNamespace(NS).withName("crud").get();
        assertThat(read.getData()).containsEntry("a", "1");

        ConfigMap updated = client.configMaps().inNamespace(NS).withName("crud")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("b", "2").editMetadata().addToLabels("k", "v").endMetadata().build());
        assertThat(updated.getData()).containsEntry("b", "2");
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        assertThat(client.configMaps().inNamespace(NS).withLabel("k", "v").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("crud");

        assertThat(client.configMaps().inNamespace(NS).withName("crud").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace(NS).withName("crud").get()).isNull();
    }

    @Test
    void staleResourceVersionIsAConflict() {
        ConfigMap created = client.configMaps().inNamespace(NS).resource(configMap("conflict", Map.of("a", "1"))).create();
        client.configMaps().inNamespace(NS).withName("conflict").edit(cm -> new ConfigMapBuilder(cm).addToData("a", "2").build());

        created.getData().put("a", "stale");
        try {
            client.configMaps().inNamespace(NS).resource(created).update();
            throw new AssertionError("update with a stale resourceVersion should fail");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(409);
        }
    }

    @Test
    void informerSeesAddUpdateAndDelete() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(NS).withLabel("informed", "yes")
                .runnableInformer(0)) {
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap cm) {
                    events.add("ADD " + cm.getMetadata().getName());
                }

                @Override
                public void onUpdate(ConfigMap before, ConfigMap after) {
                    if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                        events.add("UPDATE " + after.getMetadata().getName() + " " + after.getData().get("v"));
                    }
                }

                @Override
                public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                    events.add("DELETE " + cm.getMetadata().getName());
                }
            });
            try {
                // Synced = initial list done and watch established (fabric8 watches over WebSocket).
                informer.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("informer did not sync (list + WebSocket watch) within 20 s", e);
            }
            ConfigMap cm = configMap("informed", Map.of("v", "1"));
            cm.getMetadata().setLabels(Map.of("informed", "yes"));
            client.configMaps().inNamespace(NS).resource(cm).create();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events).contains("ADD informed"));

            client.configMaps().inNamespace(NS).withName("informed").edit(c -> new ConfigMapBuilder(c).addToData("v", "2").build());
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events).contains("UPDATE informed 2"));
            assertThat(informer.getStore().getByKey(NS + "/informed").getData()).containsEntry("v", "2");

            client.configMaps().inNamespace(NS).withName("informed").delete();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events).contains("DELETE informed"));
        }
    }
}
