package io.jk8s.dns;

import org.xbill.DNS.Address;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Pod records {@code a-b-c-d.ns.pod.<zone>}: the address is in the name, so they are answered without
 * looking at any Pod ("pods insecure" in CoreDNS terms, what kubeadm clusters configure).
 */
final class PodNames {

    private final Name podZone;

    PodNames(Name zone) {
        this.podZone = ServiceRecords.name("pod", zone);
    }

    /** Whether {@code name} is {@code pod.<zone>} or below it. */
    boolean covers(Name name) {
        return name.subdomain(podZone);
    }

    /** Whether {@code name} is {@code pod.<zone>} or {@code ns.pod.<zone>}: names that exist without records. */
    boolean isEmptyNonTerminal(Name name) {
        return name.labels() <= podZone.labels() + 1;
    }

    /** The address spelled by the first label of an {@code ip.ns.pod.<zone>} name, or null. */
    InetAddress address(Name name) {
        if (name.labels() != podZone.labels() + 2) return null;
        String label = name.getLabelString(0);
        try {
            if (label.matches("\\d{1,3}(-\\d{1,3}){3}")) {
                return Address.getByAddress(label.replace('-', '.'), Address.IPv4);
            }
            if (label.matches("[0-9a-fA-F-]+") && label.contains("-")) {
                return Address.getByAddress(label.replace('-', ':'), Address.IPv6);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
