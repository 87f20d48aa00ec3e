package io.jk8s.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

import java.util.List;

import static io.jk8s.dns.Objects.clusterIpService;
import static io.jk8s.dns.Objects.externalName;
import static io.jk8s.dns.Objects.headlessService;
import static io.jk8s.dns.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

class RecordIndexTest {

    private final RecordIndex index = new RecordIndex(new ServiceRecords(name("cluster.local."), 5));

    @Test
    void clusterIpServiceHasAddressSrvAndPtr() {
        index.putService(clusterIpService("default", "web", "10.96.0.20"));

        assertThat(texts("web.default.svc.cluster.local.", Type.A)).containsExactly("10.96.0.20");
        assertThat(texts("_http._tcp.web.default.svc.cluster.local.", Type.SRV))
                .containsExactly("0 100 80 web.default.svc.cluster.local.");
        assertThat(texts("_dns._udp.web.default.svc.cluster.local.", Type.SRV))
                .containsExactly("0 100 53 web.default.svc.cluster.local.");
        assertThat(index.lookup(name("_tcp.web.default.svc.cluster.local."))).as("empty non-terminal above SRV").isEmpty();
        assertThat(texts("20.0.96.10.in-addr.arpa.", Type.PTR)).containsExactly("web.default.svc.cluster.local.");
        assertThat(index.lookup(name("Web.Default.SVC.cluster.local."))).as("names are case-insensitive").hasSize(1);
    }

    @Test
    void namespaceAndSvcZoneExistWithoutRecordsAndVanishWithTheLastService() {
        index.putService(clusterIpService("default", "web", "10.96.0.20"));
        assertThat(index.lookup(name("default.svc.cluster.local."))).isEmpty();
        assertThat(index.lookup(name("svc.cluster.local."))).isEmpty();
        assertThat(index.lookup(name("other.default.svc.cluster.local."))).isNull();

        index.removeService(clusterIpService("default", "web", "10.96.0.20"));
        assertThat(index.lookup(name("web.default.svc.cluster.local."))).isNull();
        assertThat(index.lookup(name("default.svc.cluster.local."))).isNull();
        assertThat(index.lookup(name("20.0.96.10.in-addr.arpa."))).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void headlessServiceListsReadyEndpointsAndHostnames() {
        index.putService(headlessService("db", "pg"));
        index.putSlice(slice("db", "pg-abc", "pg", "pg-0", true, "10.244.0.5", "10.244.0.6"));
        index.putSlice(slice("db", "pg-def", "pg", null, false, "10.244.0.7"));

        assertThat(texts("pg.db.svc.cluster.local.", Type.A)).containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6");
        assertThat(texts("pg-0.pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.0.5");
        assertThat(texts("10-244-0-6.pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.0.6");
        assertThat(index.lookup(name("10-244-0-7.pg.db.svc.cluster.local."))).as("not ready").isNull();
        assertThat(texts("_web._tcp.pg.db.svc.cluster.local.", Type.SRV)).containsExactlyInAnyOrder(
                "0 100 8080 pg-0.pg.db.svc.cluster.local.", "0 100 8080 10-244-0-6.pg.db.svc.cluster.local.");
    }

    @Test
    void endpointsFollowSliceUpdatesAndDeletes() {
        index.putService(headlessService("db", "pg"));
        index.putSlice(slice("db", "pg-abc", "pg", null, true, "10.244.0.5"));
        index.putSlice(slice("db", "pg-abc", "pg", null, true, "10.244.0.9"));
        assertThat(texts("pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.0.9");

        index.removeSlice(slice("db", "pg-abc", "pg", null, true));
        assertThat(index.lookup(name("pg.db.svc.cluster.local."))).as("service still exists: NODATA").isEmpty();
        assertThat(index.lookup(name("10-244-0-9.pg.db.svc.cluster.local."))).isNull();
    }

    @Test
    void sliceSeenBeforeItsServiceCountsOnceTheServiceArrives() {
        index.putSlice(slice("db", "pg-abc", "pg", null, true, "10.244.0.5"));
        assertThat(index.lookup(name("pg.db.svc.cluster.local."))).isNull();
        index.putService(headlessService("db", "pg"));
        assertThat(texts("pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.0.5");
    }

    @Test
    void externalNameIsACname() {
        index.putService(externalName("default", "search", "search.example.com"));
        assertThat(texts("search.default.svc.cluster.local.", Type.CNAME)).containsExactly("search.example.com.");
    }

    @Test
    void serviceThatMakesNoValidNameIsSkipped() {
        index.putService(externalName("default", "bad", "two..dots"));
        assertThat(index.lookup(name("bad.default.svc.cluster.local."))).isNull();
        index.putService(externalName("default", "bad", "fixed.example.com"));
        assertThat(texts("bad.default.svc.cluster.local.", Type.CNAME)).containsExactly("fixed.example.com.");
    }

    @Test
    void dualStackServiceHasAaaa() {
        var svc = clusterIpService("default", "v6", "10.96.0.30");
        svc.getSpec().setClusterIPs(List.of("10.96.0.30", "fd00:10:96::30"));
        index.putService(svc);
        assertThat(texts("v6.default.svc.cluster.local.", Type.AAAA)).containsExactly("fd00:10:96:0:0:0:0:30");
        assertThat(texts("v6.default.svc.cluster.local.", Type.A)).containsExactly("10.96.0.30");
    }

    @Test
    void srvRecordsOfASharedNameComeFromEverySlice() {
        index.putService(headlessService("db", "pg"));
        index.putSlice(slice("db", "a", "pg", null, true, "10.244.0.5"));
        index.putSlice(slice("db", "b", "pg", null, true, "10.244.1.5"));
        List<Record> srv = index.lookup(name("_web._tcp.pg.db.svc.cluster.local."));
        assertThat(srv).hasSize(2).allSatisfy(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(8080));
    }

    private List<String> texts(String name, int type) {
        List<Record> records = index.lookup(name(name));
        assertThat(records).as(name).isNotNull();
        return records.stream().filter(r -> r.getType() == type).map(Record::rdataToString).toList();
    }

    static Name name(String text) {
        return ServiceRecords.absolute(text);
    }
}
