package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.store.Store;
import io.jk8s.store.WriteResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives Services their cluster IP (from the service CIDR) and node ports (from the node-port range),
 * as upstream's service REST storage does.
 *
 * <p>Each allocated value is a key in the store ({@code /registry/ranges/serviceips/<ip>},
 * {@code /registry/ranges/servicenodeports/<port>}) written with create-if-absent, so two API
 * servers on one store can never hand out the same value. Values are released after the Service
 * that held them is deleted or stops needing them. A crash between reserving and storing the
 * Service can leak a value (upstream runs a repair loop for that; not here yet).
 */
public final class ServiceAllocator {

    static final String IP_PREFIX = Keys.ROOT + "ranges/serviceips/";
    static final String PORT_PREFIX = Keys.ROOT + "ranges/servicenodeports/";

    private final Store store;
    private final ServiceNetwork network;

    public ServiceAllocator(Store store, ServiceNetwork network) {
        this.store = store;
        this.network = network;
    }

    /** What one create or update reserved, so it can be given back if the write does not happen. */
    public record Reservation(List<String> keys) {
        static final Reservation NONE = new Reservation(List.of());
    }

    /** Fills in clusterIP(s) and node ports of a new Service, reserving them. */
    public Reservation allocateForCreate(ObjectNode svc) {
        List<String> reserved = new ArrayList<>();
        try {
            ObjectNode spec = spec(svc);
            if (!type(spec).equals("ExternalName")) {
                reserveClusterIp(svc, spec, reserved);
            }
            allocateNodePorts(spec, svc, Set.of(), reserved);
            return new Reservation(reserved);
        } catch (RuntimeException e) {
            release(new Reservation(reserved));
            throw e;
        }
    }

    /**
     * On update: keeps the cluster IP and node ports the client left out (upstream's
     * patchAllocatedValues) and reserves what is newly needed (a cluster IP when an ExternalName
     * Service becomes ClusterIP, node ports when it becomes NodePort).
     */
    public Reservation allocateForUpdate(ObjectNode svc, ObjectNode old) {
        ObjectNode spec = spec(svc);
        JsonNode oldSpec = old.path("spec");
        boolean externalName = type(spec).equals("ExternalName");
        String oldIp = oldSpec.path("clusterIP").asText("");
        String ip = spec.path("clusterIP").asText("");
        // (The strategy's prepareForUpdate already dropped the IP of a Service turned ExternalName.)
        if (!externalName && ip.isEmpty() && !oldIp.isEmpty()) {
            spec.set("clusterIP", oldSpec.get("clusterIP"));
            if (oldSpec.has("clusterIPs")) spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
        }
        Set<Integer> held = nodePorts(oldSpec);
        if (needsNodePorts(spec)) {
            for (JsonNode p : spec.path("ports")) {
                if (!p.hasNonNull("nodePort")) {
                    JsonNode before = matchingPort(oldSpec, p);
                    if (before != null && before.hasNonNull("nodePort")) {
                        ((ObjectNode) p).put("nodePort", before.get("nodePort").asInt());
                    }
                }
            }
        }
        List<String> reserved = new ArrayList<>();
        try {
            if (!externalName && oldIp.isEmpty()) {
                reserveClusterIp(svc, spec, reserved);
            }
            allocateNodePorts(spec, svc, held, reserved);
        } catch (RuntimeException e) {
            release(new Reservation(reserved));
            throw e;
        }
        return new Reservation(reserved);
    }

    /** After a successful update: gives back what the old object held and the new one does not. */
    public void releaseUnused(ObjectNode old, ObjectNode now) {
        Set<String> keepIps = clusterIps(now.path("spec"));
        for (String ip : clusterIps(old.path("spec"))) {
            if (!keepIps.contains(ip)) store.delete(IP_PREFIX + ip, 0);
        }
        Set<Integer> keep = nodePorts(now.path("spec"));
        for (int port : nodePorts(old.path("spec"))) {
            if (!keep.contains(port)) store.delete(PORT_PREFIX + port, 0);
        }
    }

    /** After the Service is gone: gives back everything it held. */
    public void releaseAll(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        for (String ip : clusterIps(spec)) store.delete(IP_PREFIX + ip, 0);
        for (int port : nodePorts(spec)) store.delete(PORT_PREFIX + port, 0);
    }

    public void release(Reservation r) {
        for (String key : r.keys()) store.delete(key, 0);
    }

    /** Reserves the requested cluster IP, or a free one when none is requested ("None" = headless). */
    private void reserveClusterIp(ObjectNode svc, ObjectNode spec, List<String> reserved) {
        String ip = spec.path("clusterIP").asText("");
        if (ip.isEmpty()) {
            ip = reserveFreeIp(owner(svc));
            reserved.add(IP_PREFIX + ip);
        } else if (!ip.equals("None")) {
            reserveGivenIp(ip, svc);
            reserved.add(IP_PREFIX + ip);
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
    }

    private void allocateNodePorts(ObjectNode spec, ObjectNode svc, Set<Integer> alreadyHeld, List<String> reserved) {
        String owner = owner(svc);
        String name = svc.path("metadata").path("name").asText("");
        if (!needsNodePorts(spec)) {
            for (JsonNode p : spec.path("ports")) ((ObjectNode) p).remove("nodePort");
            return;
        }
        int index = 0;
        for (JsonNode p : spec.path("ports")) {
            ObjectNode port = (ObjectNode) p;
            String field = "spec.ports[" + index++ + "].nodePort";
            if (port.hasNonNull("nodePort") && port.get("nodePort").asInt() != 0) {
                int wanted = port.get("nodePort").asInt();
                if (alreadyHeld.contains(wanted)) continue;
                if (!network.inNodePortRange(wanted)) {
                    throw invalid(name, field, wanted, "provided port is not in the valid range. The range of valid ports is "
                            + network.nodePortMin() + "-" + network.nodePortMax());
                }
                if (!tryReserve(PORT_PREFIX + wanted, owner)) {
                    throw invalid(name, field, wanted, "provided port is already allocated");
                }
                reserved.add(PORT_PREFIX + wanted);
            } else {
                int got = reserveFreePort(owner);
                reserved.add(PORT_PREFIX + got);
                port.put("nodePort", got);
            }
        }
    }

    private String reserveFreeIp(String owner) {
        long size = network.serviceIpCount();
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long i = 0; i < size; i++) {
            long offset = (start + i) % size;
            if (offset == 0 || offset == 1 || offset == size - 1) continue; // network, kubernetes, broadcast
            String ip = network.serviceIp(offset);
            if (tryReserve(IP_PREFIX + ip, owner)) return ip;
        }
        throw ApiException.internal("failed to allocate a serviceIP: range is full");
    }

    private void reserveGivenIp(String ip, ObjectNode svc) {
        String name = svc.path("metadata").path("name").asText("");
        if (!network.inServiceRange(ip)) {
            throw invalid(name, "spec.clusterIPs", ip, "failed to allocate IP " + ip + ": the provided IP (" + ip
                    + ") is not in the valid range. The range of valid IPs is " + network.serviceCidr());
        }
        if (!tryReserve(IP_PREFIX + ip, owner(svc))) {
            throw invalid(name, "spec.clusterIPs", ip, "failed to allocate IP " + ip + ": provided IP is already allocated");
        }
    }

    private int reserveFreePort(String owner) {
        int span = network.nodePortMax() - network.nodePortMin() + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = network.nodePortMin() + (start + i) % span;
            if (tryReserve(PORT_PREFIX + port, owner)) return port;
        }
        throw ApiException.internal("failed to allocate a nodePort: range is full");
    }

    private boolean tryReserve(String key, String owner) {
        WriteResult r = store.create(key, owner.getBytes(StandardCharsets.UTF_8));
        return r.succeeded();
    }

    private static String type(JsonNode spec) {
        return spec.path("type").asText("ClusterIP");
    }

    /** The cluster IPs a spec holds (clusterIPs, or the single clusterIP of older objects), without "None". */
    private static Set<String> clusterIps(JsonNode spec) {
        Set<String> ips = new HashSet<>();
        spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty() && spec.hasNonNull("clusterIP")) ips.add(spec.get("clusterIP").asText());
        ips.remove("None");
        ips.remove("");
        return ips;
    }

    private static boolean needsNodePorts(JsonNode spec) {
        String type = type(spec);
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode p : spec.path("ports")) {
            if (p.hasNonNull("nodePort") && p.get("nodePort").asInt() != 0) ports.add(p.get("nodePort").asInt());
        }
        return ports;
    }

    private static JsonNode matchingPort(JsonNode oldSpec, JsonNode port) {
        for (JsonNode p : oldSpec.path("ports")) {
            if (p.path("port").asInt() == port.path("port").asInt()
                    && p.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))) {
                return p;
            }
        }
        return null;
    }

    private static ApiException invalid(String name, String field, Object value, String detail) {
        return ApiException.invalid("", "Service", name, List.of(FieldError.invalid(field, value, detail)));
    }

    private static ObjectNode spec(ObjectNode svc) {
        JsonNode spec = svc.get("spec");
        return spec instanceof ObjectNode o ? o : svc.putObject("spec");
    }

    private static String owner(ObjectNode svc) {
        JsonNode meta = svc.path("metadata");
        return meta.path("namespace").asText("") + "/" + meta.path("name").asText("");
    }
}
