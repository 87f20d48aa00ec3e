package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jk8s.dns.Objects.clusterIpService;
import static io.jk8s.dns.Objects.headlessService;
import static io.jk8s.dns.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ClusterDns against the real in-process API server, queried over UDP and TCP like a pod would. */
class ClusterDnsTest {

    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private static TestServer api;
    private static FakeUpstream upstream;
    private static ClusterDns dns;
    private static SimpleResolver udp;
    private static SimpleResolver tcp;

    @BeforeAll
    static void start() throws Exception {
        api = TestServer.withBuiltinKinds().withNamespaces("default", "shop", "db");
        upstream = new FakeUpstream().with("example.com", "192.0.2.10");
        dns = new ClusterDns(api.client, DnsConfig.loopback(List.of(upstream.address())).withUpstreamTimeout(Duration.ofMillis(500)));
        dns.start().get(30, TimeUnit.SECONDS);
        udp = resolver(false);
        tcp = resolver(true);
        // start() completes after the informers' initial lists; their watches may take a moment longer
        // to open on a busy machine (~2 s seen under load 15). Wait for one round trip before timing.
        api.client.services().inNamespace("default").resource(clusterIpService("default", "warmup", "10.96.0.99")).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(answers(udp, "warmup.default.svc.cluster.local.", Type.A)).containsExactly("10.96.0.99"));
    }

    @AfterAll
    static void stop() {
        if (dns != null) dns.close();
        if (upstream != null) upstream.close();
        if (api != null) api.close();
    }

    @Test
    void serviceAppearsWithinASecondOverUdpAndTcpAndVanishesOnDelete() {
        var service = api.client.services().inNamespace("shop").resource(clusterIpService("shop", "cart", "10.96.5.5")).create();
        await().atMost(PROPAGATION).untilAsserted(() ->
                assertThat(answers(udp, "cart.shop.svc.cluster.local.", Type.A)).containsExactly("10.96.5.5"));
        assertThat(answers(tcp, "cart.shop.svc.cluster.local.", Type.A)).containsExactly("10.96.5.5");
        assertThat(answers(udp, "_http._tcp.cart.shop.svc.cluster.local.", Type.SRV))
                .containsExactly("0 100 80 cart.shop.svc.cluster.local.");

        api.client.resource(service).delete();
        await().atMost(PROPAGATION).untilAsserted(() ->
                assertThat(query(udp, "cart.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN));

    }

    @Test
    void headlessServiceFollowsItsEndpointSlices() {
        api.client.services().inNamespace("db").resource(headlessService("db", "pg")).create();
        EndpointSlice created = api.client.discovery().v1().endpointSlices().inNamespace("db")
                .resource(slice("db", "pg-x1", "pg", "pg-0", true, "10.244.1.5", "10.244.2.6")).create();
        await().atMost(PROPAGATION).untilAsserted(() ->
                assertThat(answers(udp, "pg.db.svc.cluster.local.", Type.A)).containsExactlyInAnyOrder("10.244.1.5", "10.244.2.6"));
        assertThat(answers(udp, "pg-0.pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.1.5");
        assertThat(answers(tcp, "_web._tcp.pg.db.svc.cluster.local.", Type.SRV)).containsExactlyInAnyOrder(
                "0 100 8080 pg-0.pg.db.svc.cluster.local.", "0 100 8080 10-244-2-6.pg.db.svc.cluster.local.");

        // the second endpoint becomes unready: it leaves the answers
        EndpointSlice changed = slice("db", "pg-x1", "pg", "pg-0", true, "10.244.1.5", "10.244.2.6");
        changed.getEndpoints().get(1).getConditions().setReady(false);
        changed.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
        api.client.resource(changed).update();
        await().atMost(PROPAGATION).untilAsserted(() ->
                assertThat(answers(udp, "pg.db.svc.cluster.local.", Type.A)).containsExactly("10.244.1.5"));

        api.client.resource(changed).delete();
        await().atMost(PROPAGATION).untilAsserted(() -> {
            Message m = query(udp, "pg.db.svc.cluster.local.", Type.A);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).isEmpty();
        });
    }

    @Test
    void searchPathMissesAreNxdomainAndOutsideNamesAreForwarded() throws Exception {
        int before = upstream.queries();
        assertThat(query(udp, "example.com.default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query(udp, "example.com.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.queries()).isEqualTo(before);

        assertThat(answers(udp, "example.com.", Type.A)).containsExactly("192.0.2.10");
        assertThat(answers(tcp, "example.com.", Type.A)).containsExactly("192.0.2.10");
        assertThat(query(udp, "nowhere.example.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        api.client.services().inNamespace("db").resource(headlessService("db", "big")).create();
        String[] ips = new String[100];
        for (int i = 0; i < ips.length; i++) ips[i] = "10.244.9." + (i + 1);
        api.client.discovery().v1().endpointSlices().inNamespace("db").resource(slice("db", "big-1", "big", null, true, ips)).create();
        await().atMost(PROPAGATION).untilAsserted(() ->
                assertThat(answers(tcp, "big.db.svc.cluster.local.", Type.A)).hasSize(100));

        SimpleResolver raw = resolver(false);
        raw.setIgnoreTruncation(true);
        Message truncated = query(raw, "big.db.svc.cluster.local.", Type.A);
        assertThat(truncated.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER).size()).isLessThan(100);
        assertThat(answers(udp, "big.db.svc.cluster.local.", Type.A)).as("SimpleResolver retries over TCP").hasSize(100);
    }

    @Test
    void garbageGetsFormerrAndShortPacketsAreDropped() throws Exception {
        try (var socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(2000);
            byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 9, 9, 9};
            socket.send(new java.net.DatagramPacket(garbage, garbage.length, new InetSocketAddress("127.0.0.1", dns.port())));
            var reply = new java.net.DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(m.getHeader().getID()).isEqualTo(0x1234);
            assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        }
    }

    @Test
    void tcpConnectionCarriesSeveralQueries() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", dns.port())) {
            socket.setSoTimeout(5000);
            var out = new java.io.DataOutputStream(socket.getOutputStream());
            var in = new java.io.DataInputStream(socket.getInputStream());
            for (String name : List.of("10-244-3-4.shop.pod.cluster.local.", "10-244-3-5.shop.pod.cluster.local.")) {
                byte[] q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            List<String> got = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                got.add(new Message(reply).getSection(Section.ANSWER).get(0).rdataToString());
            }
            assertThat(got).containsExactly("10.244.3.4", "10.244.3.5");
        }
    }

    @Test
    void podNamesAnswerOverUdp() {
        assertThat(answers(udp, "10-244-3-4.shop.pod.cluster.local.", Type.A)).containsExactly("10.244.3.4");
    }

    @Test
    void serverFailsWhenUpstreamIsSilent() throws Exception {
        FakeUpstream mute = new FakeUpstream();
        mute.silent(true);
        try (ClusterDns lonely = new ClusterDns(api.client, DnsConfig.loopback(List.of(mute.address()))
                .withUpstreamTimeout(Duration.ofMillis(200)))) {
            lonely.start().get(30, TimeUnit.SECONDS);
            SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", lonely.port()));
            r.setTimeout(Duration.ofSeconds(5));
            assertThat(query(r, "example.com.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(mute.queries()).isPositive();
        } finally {
            mute.close();
        }
    }

    private static SimpleResolver resolver(boolean tcp) {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.port()));
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        return r;
    }

    static Message query(SimpleResolver resolver, String name, int type) {
        try {
            return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> answers(SimpleResolver resolver, String name, int type) {
        Message m = query(resolver, name, type);
        assertThat(m.getRcode()).as(name).isEqualTo(Rcode.NOERROR);
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }
}
