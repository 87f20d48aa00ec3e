package io.jk8s.scheduler.framework;

/**
 * A host port a container wants: IP ({@code 0.0.0.0} when unset), protocol (TCP when unset), port.
 */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    public static HostPort of(String ip, String protocol, int port) {
        return new HostPort(ip == null || ip.isEmpty() ? ANY_IP : ip,
                protocol == null || protocol.isEmpty() ? "TCP" : protocol, port);
    }

    /** True when both cannot be bound at once: same protocol and port, and same IP or a wildcard IP. */
    public boolean conflictsWith(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP));
    }
}
