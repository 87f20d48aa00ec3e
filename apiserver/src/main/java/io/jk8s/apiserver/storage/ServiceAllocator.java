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
            String owner = owner(svc);
            String type = spec.path("type").asText("ClusterIP");
            if (!type.equals("ExternalName")) {
                String ip = spec.path("clusterIP").asText("");
                if (ip.isEmpty()) {
                    ip = reserveFreeIp(owner);
                    reserved.add(IP_PREFIX + ip);
                } else if (!ip.equals("None")) {
                    reserveGivenIp(ip, owner);
                    reserved.add(IP_PREFIX + ip);
                }
                spec.put("clusterIP", ip);
                ArrayNode ips = spec.putArray("clusterIPs");
                ips.add(ip);
            }
            allocateNodePorts(spec, owner, Set.of(), reserved);
            return new Reservation(reserved);
        } catch (RuntimeException e) {
            release(new Reservation(reserved));
            throw e;
        }
    }

    /**
     * On update: keeps the cluster IP and node ports the client left out (upstream's
     * patchAllocatedValues), and reserves node ports newly needed (e.g. ClusterIP → NodePort).
     */
    public Reservation allocateForUpdate(ObjectNode svc, ObjectNode old) {
        ObjectNode spec = spec(svc);
        JsonNode oldSpec = old.path("spec");
        if (spec.path("clusterIP").asText("").isEmpty() && oldSpec.hasNonNull("clusterIP")
                && !spec.path("type").asText("ClusterIP").equals("ExternalName")) {
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
            allocateNodePorts(spec, owner(svc), held, reserved);
        } catch (RuntimeException e) {
            release(new Reservation(reserved));
            throw e;
        }
        return new Reservation(reserved);
    }

    /** After a successful update: gives back what the old object held and the new one does not. */
    public void releaseUnused(ObjectNode old, ObjectNode now) {
        Set<Integer> keep = nodePorts(now.path("spec"));
        for (int port : nodePorts(old.path("spec"))) {
            if (!keep.contains(port)) store.delete(PORT_PREFIX + port, 0);
        }
    }

    /** After the Service is gone: gives back everything it held. */
    public void releaseAll(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        for (JsonNode ip : spec.path("clusterIPs")) {
            if (!ip.asText().equals("None")) store.delete(IP_PREFIX + ip.asText(), 0);
        }
        if (!spec.has("clusterIPs") && spec.hasNonNull("clusterIP") && !spec.get("clusterIP").asText().equals("None")) {
            store.delete(IP_PREFIX + spec.get("clusterIP").asText(), 0);
        }
        for (int port : nodePorts(spec)) store.delete(PORT_PREFIX + port, 0);
    }

    public void release(Reservation r) {
        for (String key : r.keys()) store.delete(key, 0);
    }

    private void allocateNodePorts(ObjectNode spec, String owner, Set<Integer> alreadyHeld, List<String> reserved) {
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
                    throw invalid("", field, wanted, "provided port is not in the valid range. The range of valid ports is "
                            + network.nodePortMin() + "-" + network.nodePortMax());
                }
                if (!tryReserve(PORT_PREFIX + wanted, owner)) {
                    throw invalid("", field, wanted, "provided port is already allocated");
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

    private void reserveGivenIp(String ip, String owner) {
        if (!network.inServiceRange(ip)) {
            throw invalid(owner, "spec.clusterIPs", ip, "failed to allocate IP " + ip + ": the provided IP (" + ip
                    + ") is not in the valid range. The range of valid IPs is " + network.serviceCidr());
        }
        if (!tryReserve(IP_PREFIX + ip, owner)) {
            throw invalid(owner, "spec.clusterIPs", ip, "failed to allocate IP " + ip + ": provided IP is already allocated");
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

    private static boolean needsNodePorts(JsonNode spec) {
        String type = spec.path("type").asText("ClusterIP");
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
