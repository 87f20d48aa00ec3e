package io.jk8s.hollow;

import java.time.Duration;

/**
 * Settings of a set of hollow nodes.
 *
 * @param count           how many nodes ({@code prefix0 .. prefix(count-1)})
 * @param prefix          node name prefix ({@code hollow-})
 * @param cpu             capacity and allocatable cpu ({@code 4})
 * @param memory          capacity and allocatable memory ({@code 16Gi})
 * @param pods            capacity and allocatable pods ({@code 110})
 * @param heartbeat       Lease renew interval ({@code 10s})
 * @param parallelism     API calls in flight at most (registration, heartbeats, pod status)
 * @param firstPodSubnet  second octet of node 0's pod /24: node i gets {@code 10.(first + i/256).(i%256).0/24}
 */
public record HollowConfig(int count, String prefix, String cpu, String memory, String pods, Duration heartbeat,
                           int parallelism, int firstPodSubnet) {

    public static HollowConfig of(int count) {
        return new HollowConfig(count, "hollow-", "4", "16Gi", "110", Duration.ofSeconds(10), 32, 64);
    }

    public HollowConfig withHeartbeat(Duration d) {
        return new HollowConfig(count, prefix, cpu, memory, pods, d, parallelism, firstPodSubnet);
    }

    public HollowConfig withPrefix(String p) {
        return new HollowConfig(count, p, cpu, memory, pods, heartbeat, parallelism, firstPodSubnet);
    }

    String nodeName(int i) {
        return prefix + i;
    }

    /** The pod CIDR of node {@code i}. */
    String podCidr(int i) {
        return "10." + (firstPodSubnet + i / 256) + "." + (i % 256) + ".0/24";
    }

    /** The node's own address, outside its pod range. */
    String hostIp(int i) {
        return "10." + (firstPodSubnet + 60 + i / 256) + "." + (i % 256) + ".1";
    }
}
