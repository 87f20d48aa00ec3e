/**
 * Cluster DNS: an authoritative server for the cluster domain (Services, EndpointSlices and
 * IP-shaped pod names) that forwards every other name to the host's upstream resolvers.
 *
 * <p>{@link io.jk8s.dns.ClusterDns} wires the parts: informers feed {@link io.jk8s.dns.RecordIndex}
 * through {@link io.jk8s.dns.ServiceRecords}; {@link io.jk8s.dns.DnsResponder} turns a query into a
 * response; {@link io.jk8s.dns.UdpListener} and {@link io.jk8s.dns.TcpListener} carry the bytes.
 */
package io.jk8s.dns;
