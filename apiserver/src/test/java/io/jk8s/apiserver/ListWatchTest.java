package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lists (selectors, pagination, resourceVersion semantics), watches and informers. */
class ListWatchTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer();
        for (String ns : List.of("lw-a", "lw-b")) {
            t.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        for (int i = 0; i < 10; i++) {
            String ns = i % 2 == 0 ? "lw-a" : "lw-b";
            t.client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .addToLabels("parity", i % 2 == 0 ? "even" : "odd").addToLabels("tier", i < 5 ? "low" : "high")
                    .endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static List<String> names(ConfigMapList l) {
        return l.getItems().stream().map(c -> c.getMetadata().getName()).toList();
    }

    @Test
    void listsByNamespaceAndAcrossNamespaces() {
        assertThat(names(t.client.configMaps().inNamespace("lw-a").list())).containsExactly("cm-0", "cm-2", "cm-4", "cm-6", "cm-8");
        assertThat(names(t.client.configMaps().inAnyNamespace().withLabel("parity").list())).hasSize(10);
    }

    @Test
    void labelSelectorsFilter() {
        assertThat(names(t.client.configMaps().inAnyNamespace().withLabel("parity", "odd").withLabel("tier", "high").list()))
                .containsExactlyInAnyOrder("cm-5", "cm-7", "cm-9");
        assertThat(names(t.client.configMaps().inAnyNamespace().withLabelIn("tier", "low").withLabelNotIn("parity", "odd").list()))
                .containsExactlyInAnyOrder("cm-0", "cm-2", "cm-4");
        assertThat(names(t.client.configMaps().inAnyNamespace().withoutLabel("parity").list())).doesNotContain("cm-0");
    }

    @Test
    void fieldSelectorsFilter() {
        assertThat(names(t.client.configMaps().inAnyNamespace().withField("metadata.name", "cm-3").list())).containsExactly("cm-3");
        assertThat(names(t.client.configMaps().inAnyNamespace().withField("metadata.namespace", "lw-b").list())).hasSize(5);
    }

    @Test
    void paginationWalksAConsistentSnapshot() {
        ConfigMapList first = t.client.configMaps().inAnyNamespace().list(new ListOptionsBuilder().withLimit(4L)
                .withLabelSelector("parity").build());
        assertThat(first.getItems()).hasSize(4);
        assertThat(first.getMetadata().getContinue()).isNotBlank();
        // a write between pages does not show up in the rest of this list
        t.client.configMaps().inNamespace("lw-b").resource(new ConfigMapBuilder().withNewMetadata().withName("late")
                .addToLabels("parity", "odd").endMetadata().build()).create();
        List<String> all = new ArrayList<>(names(first));
        String cont = first.getMetadata().getContinue();
        while (cont != null && !cont.isEmpty()) {
            ConfigMapList page = t.client.configMaps().inAnyNamespace().list(new ListOptionsBuilder().withLimit(4L)
                    .withLabelSelector("parity").withContinue(cont).build());
            assertThat(page.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
            all.addAll(names(page));
            cont = page.getMetadata().getContinue();
        }
        assertThat(all).hasSize(10).doesNotHaveDuplicates().doesNotContain("late");
        t.client.configMaps().inNamespace("lw-b").withName("late").delete();
    }

    @Test
    void remainingItemCountIsReportedWithoutSelectors() {
        ConfigMapList first = t.client.configMaps().inNamespace("lw-a").list(new ListOptionsBuilder().withLimit(2L).build());
        assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(3L);
    }

    @Test
    void listAtResourceVersionZeroComesFromTheCache() {
        ConfigMapList l = t.client.configMaps().inNamespace("lw-a").list(new ListOptionsBuilder().withResourceVersion("0").build());
        assertThat(l.getItems()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void consistentListSeesTheLatestWrite() {
        t.client.configMaps().inNamespace("lw-a").resource(new ConfigMapBuilder().withNewMetadata().withName("fresh").endMetadata().build()).create();
        assertThat(names(t.client.configMaps().inNamespace("lw-a").list())).contains("fresh");
        t.client.configMaps().inNamespace("lw-a").withName("fresh").delete();
    }

    @Test
    void watchReportsAddModifyDeleteAndSelectorTransitions() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        String rv = t.client.configMaps().inNamespace("lw-a").list().getMetadata().getResourceVersion();
        try (Watch w = t.client.configMaps().inNamespace("lw-a").withLabel("watched", "yes")
                .withResourceVersion(rv).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            var cms = t.client.configMaps().inNamespace("lw-a");
            cms.resource(new ConfigMapBuilder().withNewMetadata().withName("w1").addToLabels("watched", "yes").endMetadata().build()).create();
            cms.withName("w1").edit(c -> new ConfigMapBuilder(c).addToData("a", "b").build());
            cms.withName("w1").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watched", "no").endMetadata().build());
            cms.withName("w1").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watched", "yes").endMetadata().build());
            cms.withName("w1").delete();
            cms.resource(new ConfigMapBuilder().withNewMetadata().withName("w2").endMetadata().build()).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 5);
            assertThat(events).containsExactly("ADDED w1", "MODIFIED w1", "DELETED w1", "ADDED w1", "DELETED w1");
        }
    }

    @Test
    void informerReceivesAddsUpdatesAndDeletes() {
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> inf = t.client.configMaps().inNamespace("lw-b").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                seen.add("add " + obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                    seen.add("update " + newObj.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(inf::hasSynced);
            assertThat(seen).contains("add cm-1", "add cm-9");
            var cms = t.client.configMaps().inNamespace("lw-b");
            cms.resource(new ConfigMapBuilder().withNewMetadata().withName("inf").endMetadata().build()).create();
            cms.withName("inf").edit(c -> new ConfigMapBuilder(c).addToData("x", "y").build());
            cms.withName("inf").delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(seen).containsSubsequence("add inf", "update inf", "delete inf"));
            assertThat(inf.getStore().getByKey("lw-b/inf")).isNull();
        } finally {
            inf.close();
        }
    }

    @Test
    void watchFromACompactedRevisionGetsGone() {
        String rv = t.client.configMaps().inNamespace("lw-a").list().getMetadata().getResourceVersion();
        t.client.configMaps().inNamespace("lw-a").resource(new ConfigMapBuilder().withNewMetadata().withName("compact-me").endMetadata().build()).create();
        t.client.configMaps().inNamespace("lw-a").withName("compact-me").delete();
        t.store.compact(t.store.currentRevision());
        HttpResponse<String> r = t.raw("GET", "/api/v1/namespaces/lw-a/configmaps?watch=true&timeoutSeconds=5&resourceVersion=" + rv, null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"type\":\"ERROR\"").contains("\"code\":410").contains("\"reason\":\"Expired\"");
    }

    @Test
    void watchWithTimeoutEndsTheStream() {
        HttpResponse<String> r = t.raw("GET", "/api/v1/namespaces/lw-a/configmaps?watch=1&timeoutSeconds=1", null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        // resourceVersion unset: the current state arrives as ADDED events first
        assertThat(r.body().lines().filter(l -> l.contains("\"ADDED\"")).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void paginatedListWithCompactedContinueIsGone() {
        ConfigMapList first = t.client.configMaps().inAnyNamespace().list(new ListOptionsBuilder().withLimit(2L).build());
        t.client.configMaps().inNamespace("lw-a").resource(new ConfigMapBuilder().withNewMetadata().withName("bump").endMetadata().build()).create();
        t.store.compact(t.store.currentRevision());
        HttpResponse<String> r = t.raw("GET", "/api/v1/configmaps?limit=2&continue=" + first.getMetadata().getContinue(), null, null, null);
        assertThat(r.statusCode()).isEqualTo(410);
        t.client.configMaps().inNamespace("lw-a").withName("bump").delete();
    }

    @Test
    void bookmarksAreSentWhenAskedFor() {
        // not waiting a minute: the initial-events-end bookmark proves the encoder and flag path
        HttpResponse<String> r = t.raw("GET", "/api/v1/namespaces/lw-a/configmaps?watch=1&timeoutSeconds=1&sendInitialEvents=true"
                + "&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan", null, null, null);
        assertThat(r.body()).contains("\"type\":\"BOOKMARK\"").contains("k8s.io/initial-events-end");
        assertThat(Map.of()).isEmpty();
    }
}
