package io.jk8s.proxy;

import io.jk8s.proxy.Conntrack.UdpFlush;
import io.jk8s.proxy.ServicePortInfo.EndpointInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UdpFlushesTest {

    private static ServicePortInfo dns(String protocol, int nodePort, String... endpointIps) {
        return new ServicePortInfo("kube-system", "kube-dns", "dns", protocol, "10.96.0.10", 53, nodePort, 0, false, false,
                List.of("203.0.113.5"), Arrays.stream(endpointIps).map(ip -> new EndpointInfo(ip, 10053, "n")).toList());
    }

    private static Map<String, ServicePortInfo> map(ServicePortInfo sp) {
        return Map.of(UdpFlushes.key(sp), sp);
    }

    @Test
    void removedUdpEndpointFlushesItsNatEntriesForEveryEntryPoint() {
        assertThat(UdpFlushes.between(map(dns("UDP", 30053, "10.244.1.2", "10.244.1.3")), map(dns("UDP", 30053, "10.244.1.3"))))
                .containsExactlyInAnyOrder(new UdpFlush("10.96.0.10", 0, "10.244.1.2"), new UdpFlush("203.0.113.5", 0, "10.244.1.2"),
                        new UdpFlush(null, 30053, "10.244.1.2"));
    }

    @Test
    void deletedServiceFlushesEntriesToAllItsEndpoints() {
        assertThat(UdpFlushes.between(map(dns("UDP", 0, "10.244.1.2")), Map.of()))
                .containsExactlyInAnyOrder(new UdpFlush("10.96.0.10", 0, "10.244.1.2"), new UdpFlush("203.0.113.5", 0, "10.244.1.2"));
    }

    @Test
    void firstEndpointFlushesUnNattedEntriesMadeWhileThereWasNone() {
        assertThat(UdpFlushes.between(map(dns("UDP", 0)), map(dns("UDP", 0, "10.244.1.2"))))
                .containsExactlyInAnyOrder(new UdpFlush("10.96.0.10", 0, null), new UdpFlush("203.0.113.5", 0, null));
    }

    @Test
    void unchangedEndpointsAndTcpPortsFlushNothing() {
        assertThat(UdpFlushes.between(map(dns("UDP", 0, "10.244.1.2")), map(dns("UDP", 0, "10.244.1.2")))).isEmpty();
        assertThat(UdpFlushes.between(map(dns("TCP", 0, "10.244.1.2")), Map.of())).isEmpty();
    }
}
