package io.jk8s.proxy;

import io.jk8s.proxy.Conntrack.UdpFlush;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which UDP conntrack entries a rule change leaves stale (kube-proxy's rules, as a pure function of the service
 * ports before and after one sync):
 * <ul>
 *   <li>an endpoint removed from a port: entries DNATed to it from the cluster IP, the external IPs and the NodePort;</li>
 *   <li>a port that had no endpoints and now has some: every entry to its cluster IP / external IPs / NodePort,
 *       because packets sent meanwhile made un-NATed entries that would bypass the new DNAT rules.</li>
 * </ul>
 */
final class UdpFlushes {

    private UdpFlushes() {
    }

    /** @param before, after service ports by {@link #key}; only UDP ports are looked at */
    static List<UdpFlush> between(Map<String, ServicePortInfo> before, Map<String, ServicePortInfo> after) {
        Set<UdpFlush> out = new LinkedHashSet<>();
        for (var e : before.entrySet()) {
            ServicePortInfo old = e.getValue();
            if (!"UDP".equals(old.protocol())) continue;
            ServicePortInfo now = after.get(e.getKey());
            Set<String> kept = new HashSet<>();
            if (now != null) now.endpoints().forEach(ep -> kept.add(ep.ip()));
            for (var ep : old.endpoints()) {
                if (kept.contains(ep.ip())) continue;
                for (String vip : vips(old)) out.add(new UdpFlush(vip, 0, ep.ip()));
                if (old.nodePort() > 0) out.add(new UdpFlush(null, old.nodePort(), ep.ip()));
            }
        }
        for (var e : after.entrySet()) {
            ServicePortInfo now = e.getValue();
            if (!"UDP".equals(now.protocol()) || now.endpoints().isEmpty()) continue;
            ServicePortInfo old = before.get(e.getKey());
            if (old != null && !old.endpoints().isEmpty()) continue;
            for (String vip : vips(now)) out.add(new UdpFlush(vip, 0, null));
            if (now.nodePort() > 0) out.add(new UdpFlush(null, now.nodePort(), null));
        }
        return new ArrayList<>(out);
    }

    /** The identity of a service port across syncs. */
    static String key(ServicePortInfo sp) {
        return sp.servicePortName() + "/" + sp.protocol();
    }

    private static List<String> vips(ServicePortInfo sp) {
        List<String> vips = new ArrayList<>();
        vips.add(sp.clusterIp());
        vips.addAll(sp.externalIps());
        return vips;
    }
}
