package io.jk8s.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.List;

import static io.jk8s.dns.Objects.clusterIpService;
import static io.jk8s.dns.Objects.externalName;
import static io.jk8s.dns.Objects.headlessService;
import static io.jk8s.dns.Objects.slice;
import static io.jk8s.dns.RecordIndexTest.name;
import static org.assertj.core.api.Assertions.assertThat;

class DnsResponderTest {

    private final FakeUpstream upstream = new FakeUpstream().with("example.com", "192.0.2.10");
    private final RecordIndex index = new RecordIndex(new ServiceRecords(name("cluster.local."), 5));
    private final DnsResponder responder = new DnsResponder(name("cluster.local."), 5, index,
            new UpstreamForwarder(List.of(upstream.address()), Duration.ofMillis(500)));

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void beforeSyncClusterNamesFailRatherThanBeingDenied() {
        index.putService(clusterIpService("default", "web", "10.96.0.20"));
        assertThat(ask("web.default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        responder.markSynced();
        Message m = ask("web.default.svc.cluster.local.", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(answers(m)).containsExactly("10.96.0.20");
    }

    @Test
    void unknownNamesAreNxdomainWithSoaAndKnownNamesWithoutTheTypeAreNodata() {
        responder.markSynced();
        index.putService(clusterIpService("default", "web", "10.96.0.20"));

        Message search = ask("web.default.svc.cluster.local.default.svc.cluster.local.", Type.A);
        assertThat(search.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(search.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);

        Message aaaa = ask("web.default.svc.cluster.local.", Type.AAAA);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
        assertThat(aaaa.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);

        assertThat(ask("default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask("cluster.local.", Type.SOA).getSection(Section.ANSWER)).hasSize(1);
        assertThat(upstream.queries()).as("cluster names never leave").isZero();
    }

    @Test
    void podNamesCarryTheirAddress() {
        responder.markSynced();
        assertThat(answers(ask("10-244-1-7.default.pod.cluster.local.", Type.A))).containsExactly("10.244.1.7");
        assertThat(answers(ask("fd00-10-244--7.default.pod.cluster.local.", Type.AAAA))).containsExactly("fd00:10:244:0:0:0:0:7");
        assertThat(ask("nonsense.default.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("10-244-1-300.default.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("default.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void srvAnswersCarryTargetAddresses() {
        responder.markSynced();
        index.putService(headlessService("db", "pg"));
        index.putSlice(slice("db", "pg-1", "pg", "pg-0", true, "10.244.0.5"));
        Message m = ask("_web._tcp.pg.db.svc.cluster.local.", Type.SRV);
        assertThat(answers(m)).containsExactly("0 100 8080 pg-0.pg.db.svc.cluster.local.");
        assertThat(m.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString).containsExactly("10.244.0.5");
    }

    @Test
    void externalNameIsFollowedUpstream() {
        responder.markSynced();
        index.putService(externalName("default", "ext", "example.com"));
        Message m = ask("ext.default.svc.cluster.local.", Type.A);
        assertThat(answers(m)).containsExactly("example.com.", "192.0.2.10");
    }

    @Test
    void outsideNamesAreForwardedAndFailuresAreServfail() {
        assertThat(answers(ask("example.com.", Type.A))).containsExactly("192.0.2.10");
        assertThat(ask("missing.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        upstream.silent(true);
        assertThat(ask("example.com.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void reverseLookupOfAServiceIpIsAnsweredLocally() {
        responder.markSynced();
        index.putService(clusterIpService("default", "web", "10.96.0.20"));
        assertThat(answers(ask("20.0.96.10.in-addr.arpa.", Type.PTR))).containsExactly("web.default.svc.cluster.local.");
        assertThat(upstream.queries()).isZero();
    }

    private Message ask(String name, int type) {
        Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        Message response = responder.respond(query);
        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        return response;
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }
}
