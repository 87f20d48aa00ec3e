package io.jk8s.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The per-node subnets of one IPv4 cluster range, e.g. the 256 /24s of 10.244.0.0/16, and which
 * of them are taken. Allocation is round-robin from after the last one handed out (as upstream's
 * cidrset), so a range released by a deleted node is not immediately given to the next one.
 * Thread-safe.
 */
final class CidrSet {

    private final int base;
    private final int clusterPrefix;
    private final int subnetPrefix;
    private final int count;
    private final BitSet used;
    private int next;

    CidrSet(String clusterCidr, int subnetPrefix) {
        Ipv4Cidr cluster = Ipv4Cidr.parse(clusterCidr);
        if (subnetPrefix < cluster.prefix() || subnetPrefix > 30) {
            throw new IllegalArgumentException("node CIDR mask /" + subnetPrefix + " does not fit in cluster CIDR " + clusterCidr);
        }
        if (subnetPrefix - cluster.prefix() > 20) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " holds too many /" + subnetPrefix + " subnets");
        }
        this.base = cluster.network();
        this.clusterPrefix = cluster.prefix();
        this.subnetPrefix = subnetPrefix;
        this.count = 1 << (subnetPrefix - cluster.prefix());
        this.used = new BitSet(count);
    }

    /** Marks {@code cidr} as taken; false when it is not one of this set's subnets (kept, not tracked). */
    synchronized boolean occupy(String cidr) {
        int index = indexOf(cidr);
        if (index < 0) return false;
        used.set(index);
        return true;
    }

    /** The next free subnet, now taken, or empty when the range is full. */
    synchronized Optional<String> allocate() {
        for (int i = 0; i < count; i++) {
            int candidate = (next + i) % count;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % count;
                return Optional.of(subnet(candidate));
            }
        }
        return Optional.empty();
    }

    synchronized void release(String cidr) {
        int index = indexOf(cidr);
        if (index >= 0) used.clear(index);
    }

    synchronized int free() {
        return count - used.cardinality();
    }

    private String subnet(int index) {
        return new Ipv4Cidr(base + (index << (32 - subnetPrefix)), subnetPrefix).toString();
    }

    /** Index of {@code cidr} among the subnets, or -1 when it is not exactly one of them. */
    private int indexOf(String cidr) {
        Ipv4Cidr c;
        try {
            c = Ipv4Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (c.prefix() != subnetPrefix) return -1;
        int clusterMask = clusterPrefix == 0 ? 0 : -1 << (32 - clusterPrefix);
        if ((c.network() & clusterMask) != base) return -1;
        return (c.network() - base) >>> (32 - subnetPrefix);
    }
}
