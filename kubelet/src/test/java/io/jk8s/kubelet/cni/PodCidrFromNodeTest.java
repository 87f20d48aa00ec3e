package io.jk8s.kubelet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PodCidrFromNodeTest {

    @TempDir
    Path dir;
    TestServer api;
    KubernetesClient client;

    @BeforeEach
    void setUp() {
        api = TestServer.withBuiltinKinds();
        client = api.client;
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void writesTheConfigurationOnlyOnceTheNodeHasItsRange() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("joiner").endMetadata().build()).create();
        Path confDir = dir.resolve("net.d");
        CompletableFuture<CniNetwork> written = PodCidrFromNode.writeWhenAssigned(client, "joiner",
                CniNetwork.defaults(dir), confDir);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !written.isDone());
        assertThat(confDir.resolve(CniNetwork.FILE_NAME)).doesNotExist();

        client.nodes().withName("joiner").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"10.244.7.0/24\",\"podCIDRs\":[\"10.244.7.0/24\"]}}");
        assertThat(written.get(10, TimeUnit.SECONDS).podCidr()).isEqualTo("10.244.7.0/24");
        JsonNode bridge = new ObjectMapper().readTree(Files.readString(confDir.resolve(CniNetwork.FILE_NAME))).get("plugins").get(0);
        assertThat(bridge.get("ipam").get("ranges").get(0).get(0).get("subnet").asText()).isEqualTo("10.244.7.0/24");
        assertThat(bridge.get("ipam").get("ranges").get(0).get(0).get("gateway").asText()).isEqualTo("10.244.7.1");
        assertThat(bridge.get("ipMasq").asBoolean()).isFalse();
    }
}
