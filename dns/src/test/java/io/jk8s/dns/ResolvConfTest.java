package io.jk8s.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ResolvConfTest {

    @Test
    void podResolvConfSearchesTheNamespaceFirst() {
        assertThat(ResolvConf.forPod("shop", "10.96.0.10", "cluster.local")).isEqualTo("""
                search shop.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.96.0.10
                options ndots:5
                """);
    }

    @Test
    void upstreamsAreTheNameserversMinusOurselvesAndJunk() {
        String text = """
                # generated
                search example.org
                nameserver 192.0.2.1
                nameserver 10.96.0.10
                nameserver resolver.example.org
                nameserver fe80::1%eth0
                nameserver 192.0.2.1
                options edns0
                """;
        assertThat(Upstreams.parse(text, new InetSocketAddress("10.96.0.10", 53))).containsExactly(
                new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("fe80::1", 53));
    }

    @Test
    void missingFileMeansNoUpstreams(@TempDir Path dir) {
        assertThat(Upstreams.fromHost(dir.resolve("absent"), new InetSocketAddress("10.96.0.10", 53))).isEmpty();
    }

    @Test
    void hostFileIsRead(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("resolv.conf"), "nameserver 198.51.100.7\n");
        assertThat(Upstreams.fromHost(file, new InetSocketAddress("10.96.0.10", 53)))
                .containsExactly(new InetSocketAddress("198.51.100.7", 53));
    }
}
