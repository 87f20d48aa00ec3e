package io.jk8s.cli.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAddressTest {

    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void picksTheDefaultRouteWithTheLowestMetricNotTheFirstInterface(@TempDir Path dir) throws Exception {
        Path route = dir.resolve("route");
        Files.writeString(route, HEADER
                + "jk8s-it0\t004DFA0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                + "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        assertThat(NodeAddress.defaultRouteInterface(route)).contains("eth0");
    }

    @Test
    void noDefaultRouteMeansNoAnswer(@TempDir Path dir) throws Exception {
        Path route = dir.resolve("route");
        Files.writeString(route, HEADER + "veth1\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        assertThat(NodeAddress.defaultRouteInterface(route)).isEmpty();
        assertThat(NodeAddress.defaultRouteInterface(dir.resolve("missing"))).isEmpty();
    }
}
