package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.jk8s.hollow.HollowNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobControllerTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2).withControllers(TestCluster.config(Set.of("job")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    /** A Job whose pods exit at once with {@code exitCode} on hollow nodes. */
    static Job job(String name, int completions, int parallelism, int backoffLimit, int exitCode, Integer ttl) {
        return new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withCompletions(completions).withParallelism(parallelism).withBackoffLimit(backoffLimit)
                .withTtlSecondsAfterFinished(ttl)
                .withNewTemplate().withNewMetadata().addToAnnotations(HollowNodes.EXIT_CODE_ANNOTATION, Integer.toString(exitCode)).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    Job get(String name) {
        return cluster.client.batch().v1().jobs().inNamespace("default").withName(name).get();
    }

    static boolean hasCondition(Job j, String type, String reason) {
        return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus()) && (reason == null || reason.equals(c.getReason())));
    }

    @Test
    void completesAfterTheRequestedCompletions() {
        cluster.client.batch().v1().jobs().inNamespace("default").resource(job("pi", 3, 2, 6, 0, null)).create();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> hasCondition(get("pi"), "Complete", null));
        Job j = get("pi");
        assertThat(j.getStatus().getSucceeded()).isEqualTo(3);
        assertThat(j.getStatus().getActive()).isZero();
        assertThat(j.getStatus().getStartTime()).isNotNull();
        assertThat(j.getStatus().getCompletionTime()).isNotNull();
        assertThat(cluster.client.pods().inNamespace("default").withLabel("batch.kubernetes.io/job-name", "pi").list().getItems()).hasSize(3);
    }

    @Test
    void failsOnceFailuresExceedTheBackoffLimit() {
        cluster.client.batch().v1().jobs().inNamespace("default").resource(job("crash", 1, 1, 1, 1, null)).create();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> hasCondition(get("crash"), "Failed", "BackoffLimitExceeded"));
        assertThat(get("crash").getStatus().getFailed()).isEqualTo(2);
    }

    @Test
    void finishedJobIsDeletedAfterItsTtl() {
        cluster.client.batch().v1().jobs().inNamespace("default").resource(job("brief", 1, 1, 6, 0, 1)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("brief") == null);
    }
}
