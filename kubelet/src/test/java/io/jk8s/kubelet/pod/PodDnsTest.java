package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.jk8s.kubelet.cri.v1.DNSConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PodDnsTest {

    private static final PodDns.HostResolv HOST = PodDns.HostResolv.parse(
            "# host\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0 ndots:1\n");
    private final PodDns dns = new PodDns(Optional.of("10.96.0.10"), "cluster.local", HOST);

    private static PodBuilder pod(String policy) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("p").endMetadata()
                .withNewSpec().withDnsPolicy(policy).endSpec();
    }

    private DNSConfig of(Pod pod) {
        return dns.forPod(pod).orElseThrow();
    }

    @Test
    void clusterFirstUsesClusterDnsNamespaceSearchPathHostSearchesAndNdots5() {
        DNSConfig c = of(pod(null).build());
        assertThat(c.getServersList()).containsExactly("10.96.0.10");
        assertThat(c.getSearchesList()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:5");
    }

    @Test
    void hostNetworkPodsGetTheHostsResolverUnlessClusterFirstWithHostNet() {
        assertThat(dns.forPod(pod("ClusterFirst").editSpec().withHostNetwork(true).endSpec().build())).isEmpty();
        assertThat(of(pod("ClusterFirstWithHostNet").editSpec().withHostNetwork(true).endSpec().build()).getServersList())
                .containsExactly("10.96.0.10");
    }

    @Test
    void withoutClusterDnsClusterFirstFallsBackToTheHost() {
        assertThat(new PodDns(Optional.empty(), "cluster.local", HOST).forPod(pod("ClusterFirst").build())).isEmpty();
    }

    @Test
    void noneTakesOnlyTheDnsConfig() {
        DNSConfig c = of(pod("None").editSpec().withDnsConfig(new PodDNSConfigBuilder().withNameservers("1.2.3.4")
                .withSearches("a.example").addNewOption().withName("ndots").withValue("2").endOption().build()).endSpec().build());
        assertThat(c.getServersList()).containsExactly("1.2.3.4");
        assertThat(c.getSearchesList()).containsExactly("a.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:2");
    }

    @Test
    void dnsConfigIsMergedIntoClusterFirstWithThePodsOptionsWinning() {
        DNSConfig c = of(pod("ClusterFirst").editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("10.96.0.10", "1.2.3.4").withSearches("cluster.local", "extra.example")
                .addNewOption().withName("ndots").withValue("2").endOption().addNewOption().withName("edns0").endOption()
                .build()).endSpec().build());
        assertThat(c.getServersList()).containsExactly("10.96.0.10", "1.2.3.4");
        assertThat(c.getSearchesList()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
                "corp.example", "extra.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:2", "edns0");
    }

    @Test
    void defaultWithDnsConfigStartsFromTheHostsResolvConf() {
        assertThat(dns.forPod(pod("Default").build())).as("no dnsConfig: the runtime copies the host's file").isEmpty();
        DNSConfig c = of(pod("Default").editSpec().withDnsConfig(new PodDNSConfigBuilder().withSearches("x.example").build())
                .endSpec().build());
        assertThat(c.getServersList()).containsExactly("192.0.2.53");
        assertThat(c.getSearchesList()).containsExactly("corp.example", "x.example");
        assertThat(c.getOptionsList()).containsExactly("edns0", "ndots:1");
    }

    @Test
    void atMostThreeNameservers() {
        DNSConfig c = of(pod("None").editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers(List.of("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4")).build()).endSpec().build());
        assertThat(c.getServersList()).hasSize(3);
    }
}
