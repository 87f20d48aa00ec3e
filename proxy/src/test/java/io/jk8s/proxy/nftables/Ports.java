package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ServicePortInfo;
import io.jk8s.proxy.ServicePortInfo.EndpointInfo;

import java.util.List;

/** Service ports for the nftables unit tests. */
final class Ports {

    private Ports() {
    }

    /** {@code default/NAME:http}, TCP 80 on {@code clusterIp}, no NodePort, no affinity. */
    static ServicePortInfo port(String name, String clusterIp, EndpointInfo... endpoints) {
        return new ServicePortInfo("default", name, "http", "TCP", clusterIp, 80, 0, 0, false, false, List.of(), List.of(endpoints));
    }

    static ServicePortInfo withNodePort(ServicePortInfo sp, int nodePort, boolean externalLocal) {
        return new ServicePortInfo(sp.namespace(), sp.name(), sp.portName(), sp.protocol(), sp.clusterIp(), sp.port(), nodePort,
                sp.affinitySeconds(), externalLocal, sp.internalLocal(), sp.externalIps(), sp.endpoints(), sp.servingTerminating());
    }

    static ServicePortInfo withAffinity(ServicePortInfo sp, int seconds) {
        return new ServicePortInfo(sp.namespace(), sp.name(), sp.portName(), sp.protocol(), sp.clusterIp(), sp.port(), sp.nodePort(),
                seconds, sp.externalLocal(), sp.internalLocal(), sp.externalIps(), sp.endpoints(), sp.servingTerminating());
    }

    static ServicePortInfo withInternalLocal(ServicePortInfo sp) {
        return new ServicePortInfo(sp.namespace(), sp.name(), sp.portName(), sp.protocol(), sp.clusterIp(), sp.port(), sp.nodePort(),
                sp.affinitySeconds(), sp.externalLocal(), true, sp.externalIps(), sp.endpoints(), sp.servingTerminating());
    }

    static ServicePortInfo withExternalIps(ServicePortInfo sp, String... ips) {
        return new ServicePortInfo(sp.namespace(), sp.name(), sp.portName(), sp.protocol(), sp.clusterIp(), sp.port(), sp.nodePort(),
                sp.affinitySeconds(), sp.externalLocal(), sp.internalLocal(), List.of(ips), sp.endpoints(), sp.servingTerminating());
    }

    /** Adds endpoints that are terminating but still serving (not used cluster-wide while any endpoint is ready). */
    static ServicePortInfo withServingTerminating(ServicePortInfo sp, EndpointInfo... endpoints) {
        return new ServicePortInfo(sp.namespace(), sp.name(), sp.portName(), sp.protocol(), sp.clusterIp(), sp.port(), sp.nodePort(),
                sp.affinitySeconds(), sp.externalLocal(), sp.internalLocal(), sp.externalIps(), sp.endpoints(), List.of(endpoints));
    }

    static EndpointInfo ep(String ip, String node) {
        return new EndpointInfo(ip, 8080, node);
    }
}
