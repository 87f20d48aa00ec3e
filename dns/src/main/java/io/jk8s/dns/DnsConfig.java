package io.jk8s.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the cluster DNS server.
 *
 * @param bindAddress     address to listen on (UDP and TCP); production uses the cluster DNS Service IP
 * @param port            port to listen on; 0 picks a free port (the same one for UDP and TCP)
 * @param clusterDomain   the zone served authoritatively, without trailing dot (e.g. {@code cluster.local})
 * @param upstreams       resolvers for every name outside the cluster domain; empty means SERVFAIL for those
 * @param ttl             TTL of every answer this server makes up itself
 * @param upstreamTimeout how long one upstream may take before the next is tried
 */
public record DnsConfig(String bindAddress, int port, String clusterDomain, List<InetSocketAddress> upstreams,
                        Duration ttl, Duration upstreamTimeout) {

    public static final String DEFAULT_BIND_ADDRESS = "10.96.0.10";
    public static final String DEFAULT_DOMAIN = "cluster.local";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

    public DnsConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        clusterDomain = clusterDomain.endsWith(".") ? clusterDomain.substring(0, clusterDomain.length() - 1) : clusterDomain;
        upstreams = List.copyOf(upstreams);
        if (ttl.isNegative()) throw new IllegalArgumentException("negative ttl");
    }

    /** Production defaults: 10.96.0.10:53, cluster.local, upstreams from the host's resolv.conf, TTL 5 s. */
    public static DnsConfig defaults() {
        return new DnsConfig(DEFAULT_BIND_ADDRESS, 53, DEFAULT_DOMAIN,
                Upstreams.fromHost(Path.of("/etc/resolv.conf"), new InetSocketAddress(DEFAULT_BIND_ADDRESS, 53)),
                DEFAULT_TTL, DEFAULT_UPSTREAM_TIMEOUT);
    }

    /** Loopback on a free port, given upstreams: what tests and local experiments use. */
    public static DnsConfig loopback(List<InetSocketAddress> upstreams) {
        return new DnsConfig("127.0.0.1", 0, DEFAULT_DOMAIN, upstreams, DEFAULT_TTL, DEFAULT_UPSTREAM_TIMEOUT);
    }

    public DnsConfig withUpstreams(List<InetSocketAddress> newUpstreams) {
        return new DnsConfig(bindAddress, port, clusterDomain, newUpstreams, ttl, upstreamTimeout);
    }

    public DnsConfig withUpstreamTimeout(Duration timeout) {
        return new DnsConfig(bindAddress, port, clusterDomain, upstreams, ttl, timeout);
    }
}
