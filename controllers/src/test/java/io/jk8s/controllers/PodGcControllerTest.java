package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jk8s.hollow.HollowNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.awaitility.Awaitility.await;

class PodGcControllerTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(1)
                .withControllers(TestCluster.config(Set.of("podgc")).withPodGcThreshold(2));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    static Pod pod(String name, String node, String exitCode) {
        var b = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec();
        if (exitCode != null) b.editMetadata().addToAnnotations(HollowNodes.EXIT_CODE_ANNOTATION, exitCode).endMetadata();
        return b.build();
    }

    @Test
    void deletesPodsOfMissingNodes() {
        cluster.client.pods().inNamespace("default").resource(pod("ghost", "no-such-node", null)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("ghost").get() == null);
    }

    @Test
    void keepsOnlyTheNewestTerminatedPodsBeyondTheThreshold() {
        for (int i = 0; i < 4; i++) {
            cluster.client.pods().inNamespace("default").resource(pod("done-" + i, "hollow-0", "0")).create();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("done-")).count() == 2);
    }
}
