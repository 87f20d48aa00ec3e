package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Service and its EndpointSlices into DNS records, following the Kubernetes DNS
 * specification: {@code svc.ns.svc.<zone>} A/AAAA (ClusterIP, or the ready endpoints when headless),
 * CNAME for ExternalName, {@code _port._proto.svc...} SRV for named ports, {@code host.svc...} for
 * endpoints of headless Services, and PTR records for the addresses.
 *
 * <p>The result maps every name to its records; names that exist without records of their own
 * (the Service name of a headless Service with no ready endpoint, {@code ns.svc.<zone>}, {@code svc.<zone>})
 * map to an empty list so that queries for them get NODATA rather than NXDOMAIN.
 */
public final class ServiceRecords {

    private final Name zone;
    private final long ttl;

    public ServiceRecords(Name zone, long ttlSeconds) {
        this.zone = zone;
        this.ttl = ttlSeconds;
    }

    public Map<Name, List<Record>> build(Service service, Collection<EndpointSlice> slices) {
        Map<Name, List<Record>> out = new LinkedHashMap<>();
        ServiceSpec spec = service.getSpec();
        if (spec == null || service.getMetadata() == null) return out;
        String namespace = service.getMetadata().getNamespace();
        Name svcZone = name("svc", zone);
        Name nsName = name(namespace, svcZone);
        Name base = name(service.getMetadata().getName(), nsName);
        out.put(svcZone, new ArrayList<>());
        out.put(nsName, new ArrayList<>());
        out.put(base, new ArrayList<>());

        if ("ExternalName".equals(spec.getType())) {
            if (spec.getExternalName() != null && !spec.getExternalName().isBlank()) {
                add(out, base, new CNAMERecord(base, DClass.IN, ttl, absolute(spec.getExternalName())));
            }
            return out;
        }
        if (isHeadless(spec)) {
            headless(out, base, service, slices);
        } else {
            clusterIp(out, base, spec);
        }
        return out;
    }

    static boolean isHeadless(ServiceSpec spec) {
        return "None".equals(spec.getClusterIP());
    }

    private void clusterIp(Map<Name, List<Record>> out, Name base, ServiceSpec spec) {
        List<String> ips = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs() : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        for (String ip : ips) {
            InetAddress address = parse(ip);
            if (address == null) continue;
            add(out, base, address(base, address));
            Name reverse = ReverseMap.fromAddress(address);
            add(out, reverse, new PTRRecord(reverse, DClass.IN, ttl, base));
        }
        if (spec.getPorts() == null) return;
        for (ServicePort port : spec.getPorts()) {
            if (port.getName() == null || port.getName().isEmpty() || port.getPort() == null) continue;
            Name srv = srvName(port.getName(), port.getProtocol(), base);
            add(out, srv, new SRVRecord(srv, DClass.IN, ttl, 0, 100, port.getPort(), base));
            out.putIfAbsent(new Name(srv, 1), new ArrayList<>()); // _proto.svc... exists (no NXDOMAIN above an SRV)
        }
    }

    private void headless(Map<Name, List<Record>> out, Name base, Service service, Collection<EndpointSlice> slices) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Set<InetAddress> seen = new HashSet<>();
        for (EndpointSlice slice : slices) {
            if ("FQDN".equals(slice.getAddressType()) || slice.getEndpoints() == null) continue;
            List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (!publishNotReady && !isReady(endpoint)) continue;
                if (endpoint.getAddresses() == null) continue;
                for (String ip : endpoint.getAddresses()) {
                    InetAddress address = parse(ip);
                    if (address == null || !seen.add(address)) continue;
                    Name host = name(hostLabel(endpoint, address), base);
                    add(out, base, address(base, address));
                    add(out, host, address(host, address));
                    Name reverse = ReverseMap.fromAddress(address);
                    add(out, reverse, new PTRRecord(reverse, DClass.IN, ttl, host));
                    for (EndpointPort port : ports) {
                        if (port.getName() == null || port.getName().isEmpty() || port.getPort() == null) continue;
                        Name srv = srvName(port.getName(), port.getProtocol(), base);
                        add(out, srv, new SRVRecord(srv, DClass.IN, ttl, 0, 100, port.getPort(), host));
                        out.putIfAbsent(new Name(srv, 1), new ArrayList<>());
                    }
                }
            }
        }
    }

    /** The API says an unknown readiness means ready. */
    static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                || endpoint.getConditions().getReady();
    }

    /** The endpoint's hostname (StatefulSet pods), else its address with dashes, as CoreDNS names it. */
    private static String hostLabel(Endpoint endpoint, InetAddress address) {
        if (endpoint.getHostname() != null && !endpoint.getHostname().isEmpty()) return endpoint.getHostname();
        return dashed(address);
    }

    static String dashed(InetAddress address) {
        String text = address.getHostAddress();
        return address instanceof Inet4Address ? text.replace('.', '-') : text.replace(':', '-');
    }

    private Record address(Name name, InetAddress address) {
        return address instanceof Inet4Address
                ? new ARecord(name, DClass.IN, ttl, address)
                : new AAAARecord(name, DClass.IN, ttl, address);
    }

    private static Name srvName(String portName, String protocol, Name base) {
        String proto = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        return name("_" + portName.toLowerCase(Locale.ROOT), name("_" + proto, base));
    }

    private static void add(Map<Name, List<Record>> out, Name name, Record record) {
        out.computeIfAbsent(name, n -> new ArrayList<>()).add(record);
    }

    /** An IP literal, never a name lookup; null for anything else. */
    static InetAddress parse(String ip) {
        if (ip == null || ip.isEmpty() || "None".equals(ip)) return null;
        try {
            int family = ip.contains(":") ? Address.IPv6 : Address.IPv4;
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static Name name(String label, Name origin) {
        try {
            return Name.concatenate(new Name(label), origin);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DNS name: " + label + "." + origin, e);
        }
    }

    static Name absolute(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }
}
