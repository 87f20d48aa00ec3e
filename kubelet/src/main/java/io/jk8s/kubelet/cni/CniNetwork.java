package io.jk8s.kubelet.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's pod network as a CNI configuration list: a Linux bridge (the pods' gateway),
 * host-local IP allocation from the node's pod CIDR and portmap for {@code hostPort}. No loopback plugin: containerd's
 * CRI brings up a pod's {@code lo} itself (its own {@code cni-loopback} network), so a chained one was a second plugin
 * process per sandbox start and stop for nothing.
 * The bridge does not masquerade ({@code ipMasq: false}): pod to pod traffic across nodes must keep
 * its source address (the Kubernetes network model); the node's network agent masquerades only
 * what leaves the cluster CIDR ({@code io.jk8s.network.HostRules}).
 *
 * @param name        CNI network name (also names host-local's allocation directory)
 * @param bridge      bridge interface on the host, e.g. {@code cni0}
 * @param podCidr     this node's pod subnet, e.g. {@code 10.244.0.0/24}
 * @param ipamDataDir where host-local records allocated addresses (kept under the data dir
 *                    so that several agents on one machine never share allocations)
 */
public record CniNetwork(String name, String bridge, String podCidr, Path ipamDataDir) {

    public static final String FILE_NAME = "10-jk8s.conflist";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CniNetwork {
        if (bridge.length() > 15) {
            throw new IllegalArgumentException("bridge name longer than 15 characters: " + bridge);
        }
        Subnet.parse(podCidr); // validates
    }

    /** The default single-node network: bridge {@code cni0} on 10.244.0.0/24. */
    public static CniNetwork defaults(Path agentDir) {
        return new CniNetwork("jk8s", "cni0", "10.244.0.0/24", agentDir.resolve("cni/networks"));
    }

    /** The same network over another pod CIDR (the one node IPAM assigned). */
    public CniNetwork withPodCidr(String cidr) {
        return new CniNetwork(name, bridge, cidr, ipamDataDir);
    }

    /** The gateway (bridge) address: the first host address of the pod CIDR. */
    public String gateway() {
        return Subnet.parse(podCidr).firstHost();
    }

    /** The conflist document as JSON. */
    public String toConflist() {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDataDir.toString());
        ipam.put("ranges", List.of(List.of(Map.of("subnet", podCidr, "gateway", gateway()))));
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));

        Map<String, Object> bridgePlugin = new LinkedHashMap<>();
        bridgePlugin.put("type", "bridge");
        bridgePlugin.put("bridge", bridge);
        bridgePlugin.put("isGateway", true);
        bridgePlugin.put("ipMasq", false);
        bridgePlugin.put("hairpinMode", true); // a pod can reach itself through its Service
        bridgePlugin.put("ipam", ipam);

        Map<String, Object> conflist = new LinkedHashMap<>();
        conflist.put("cniVersion", "0.4.0");
        conflist.put("name", name);
        conflist.put("plugins", List.of(
                bridgePlugin,
                Map.of("type", "portmap", "capabilities", Map.of("portMappings", true))));
        try {
            return JSON.writeValueAsString(conflist);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the conflist into {@code confDir}, atomically (containerd watches the directory and
     * must never read a half-written file). Returns the file written.
     */
    public Path writeTo(Path confDir) {
        try {
            Files.createDirectories(confDir);
            Files.createDirectories(ipamDataDir);
            Path target = confDir.resolve(FILE_NAME);
            Path temp = confDir.resolve("." + FILE_NAME + ".tmp");
            Files.writeString(temp, toConflist());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CNI config to " + confDir, e);
        }
    }
}
