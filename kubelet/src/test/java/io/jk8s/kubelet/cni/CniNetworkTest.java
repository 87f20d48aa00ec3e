package io.jk8s.kubelet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CniNetworkTest {

    @TempDir
    Path dir;

    @Test
    void writesBridgeHostLocalPortmapChain() throws Exception {
        CniNetwork network = CniNetwork.defaults(dir);
        Path file = network.writeTo(dir.resolve("net.d"));

        JsonNode conf = new ObjectMapper().readTree(Files.readString(file));
        assertThat(conf.get("name").asText()).isEqualTo("jk8s");
        assertThat(conf.get("plugins")).extracting(p -> p.get("type").asText())
                .as("no loopback: containerd sets up lo itself").containsExactly("bridge", "portmap");
        JsonNode bridge = conf.get("plugins").get(0);
        assertThat(bridge.get("bridge").asText()).isEqualTo("cni0");
        assertThat(bridge.get("isGateway").asBoolean()).isTrue();
        assertThat(bridge.get("ipMasq").asBoolean()).as("pod to pod keeps its source; the network agent masquerades egress").isFalse();
        JsonNode range = bridge.get("ipam").get("ranges").get(0).get(0);
        assertThat(range.get("subnet").asText()).isEqualTo("10.244.0.0/24");
        assertThat(range.get("gateway").asText()).isEqualTo("10.244.0.1");
        assertThat(bridge.get("ipam").get("dataDir").asText()).isEqualTo(dir.resolve("cni/networks").toString());
        assertThat(conf.get("plugins").get(1).get("capabilities").get("portMappings").asBoolean()).isTrue();
        assertThat(dir.resolve("net.d")).isDirectoryNotContaining("glob:**.tmp");
    }

    @ParameterizedTest(name = "{0} has gateway {1}")
    @CsvSource({"10.244.0.0/24, 10.244.0.1", "10.244.3.0/24, 10.244.3.1", "192.168.0.0/16, 192.168.0.1"})
    void gatewayIsFirstHostAddress(String cidr, String gateway) {
        assertThat(new CniNetwork("n", "cni0", cidr, dir).gateway()).isEqualTo(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.0.1/24", "10.244.0.0", "10.244.0/24", "10.244.0.0/31", "300.1.1.0/24"})
    void rejectsMalformedPodCidr(String cidr) {
        assertThatThrownBy(() -> new CniNetwork("n", "cni0", cidr, dir)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBridgeNamesLinuxCannotHold() {
        assertThatThrownBy(() -> new CniNetwork("n", "a-very-long-bridge", "10.0.0.0/24", dir))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
