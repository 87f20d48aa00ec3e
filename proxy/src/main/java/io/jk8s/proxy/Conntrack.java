package io.jk8s.proxy;

/**
 * The seam to the kernel's connection tracking table. The proxy deletes UDP entries that would keep sending
 * datagrams to an endpoint that is gone (UDP has no connection end, so such an entry only ages out), as kube-proxy does.
 */
public interface Conntrack {

    /** Does nothing: for tests with recorded iptables, and hosts without the {@code conntrack} tool. */
    Conntrack NONE = flush -> { };

    /** Deletes the UDP entries {@code flush} matches; matching nothing is not an error. */
    void delete(UdpFlush flush);

    /**
     * A filter over UDP entries, by original destination and/or the address they were DNATed to.
     *
     * @param origDst     original destination address (a cluster or external IP), or null for any
     * @param origPortDst original destination port (a NodePort), or 0 for any
     * @param dnatTo      endpoint address the entry was translated to, or null for any
     */
    record UdpFlush(String origDst, int origPortDst, String dnatTo) {
    }
}
