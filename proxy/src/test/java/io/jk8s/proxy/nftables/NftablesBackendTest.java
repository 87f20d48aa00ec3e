package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ServicePortInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jk8s.proxy.nftables.Ports.ep;
import static io.jk8s.proxy.nftables.Ports.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the backend rebuilds the table and when it writes only the changes. */
class NftablesBackendTest {

    private final RecordingNft nft = new RecordingNft();
    private final NftablesBackend backend = new NftablesBackend(nft, new NftRuleBuilder("node-a", List.of(), "10.244.0.0/16"));

    @Test
    void firstSyncRebuildsTheTableAtomicallyThenOnlyChangesAreWritten() throws Exception {
        List<ServicePortInfo> ports = manyPorts(100);
        backend.sync(ports, true);
        assertThat(nft.scripts).hasSize(1);
        assertThat(nft.last()).startsWith("table ip jk8s-proxy {}\ndelete table ip jk8s-proxy\ntable ip jk8s-proxy {")
                .contains("10.96.1.99 . tcp . 80");

        backend.sync(ports, false);
        assertThat(nft.scripts).as("nothing changed: no nft call").hasSize(1);

        List<ServicePortInfo> changed = new ArrayList<>(ports);
        changed.set(42, port("svc-42", "10.96.1.42", ep("10.244.42.1", "node-a"), ep("10.250.0.1", "node-a")));
        backend.sync(changed, false);
        assertThat(nft.scripts).hasSize(2);
        assertThat(nft.last()).doesNotContain("delete table").contains("default/svc-42/").doesNotContain("default/svc-41/");
        assertThat(nft.last().lines().count()).as("lines for one changed Service").isLessThan(10);
    }

    @Test
    void afterAFailureTheNextSyncRebuilds() throws Exception {
        backend.sync(manyPorts(3), true);
        nft.fail = true;
        assertThatThrownBy(() -> backend.sync(manyPorts(4), false)).isInstanceOf(Nft.NftException.class);
        backend.forget();
        nft.fail = false;
        backend.sync(manyPorts(4), false);
        assertThat(nft.last()).contains("delete table ip jk8s-proxy");
    }

    @Test
    void verifyingSyncRebuildsWhenTheTablesChainsDifferFromWhatWasWritten() throws Exception {
        List<ServicePortInfo> ports = manyPorts(2);
        backend.sync(ports, true);
        nft.chains = new java.util.TreeSet<>(NftRuleBuilder.BASE_CHAINS);
        for (ServicePortInfo sp : ports) {
            nft.chains.add(NftNames.service(sp)); // no endpoint chains without session affinity
        }
        backend.sync(ports, true);
        assertThat(nft.scripts).as("chains as written: nothing to do").hasSize(1);

        nft.chains.remove(NftNames.service(ports.getFirst()));
        backend.sync(ports, true);
        assertThat(nft.scripts).hasSize(2);
        assertThat(nft.last()).contains("delete table ip jk8s-proxy");
    }

    @Test
    void anAddressClaimedByTwoServicesIsProgrammedOnceForTheFirst() throws Exception {
        ServicePortInfo a = Ports.withExternalIps(port("a", "10.96.0.1", ep("10.244.0.1", "node-a")), "203.0.113.9");
        ServicePortInfo b = Ports.withExternalIps(port("b", "10.96.0.2", ep("10.244.0.2", "node-a")), "203.0.113.9");
        backend.sync(List.of(a, b), true);
        assertThat(nft.last().lines().filter(l -> l.contains("service-ips { 203.0.113.9 . tcp . 80"))).hasSize(1);
    }

    private static List<ServicePortInfo> manyPorts(int n) {
        List<ServicePortInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(port("svc-" + i, "10.96.1." + i, ep("10.244." + i + ".1", "node-a")));
        }
        return out;
    }
}
