package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ChainNames;
import io.jk8s.proxy.ServicePortInfo;
import io.jk8s.proxy.ServicePortInfo.EndpointInfo;

import java.util.Locale;

/**
 * Names in table {@code ip jk8s-proxy}. Per-service chains and sets are named as in kube-proxy's nftables mode:
 * a stable hash (so that two service ports never collide, whatever their names) followed by a readable
 * {@code namespace/name/protocol/port} for people reading {@code nft list table}; nft accepts {@code / - _ .}
 * in names, which is every character a namespace, Service or port name may hold.
 */
public final class NftNames {

    public static final String FAMILY = "ip";
    public static final String TABLE = "jk8s-proxy";

    // Verdict maps: keyed by (address . protocol . port) or (protocol . port), valued by a goto or a drop.
    static final String SERVICE_IPS = "service-ips";
    static final String SERVICE_NODEPORTS = "service-nodeports";
    static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    static final String NO_ENDPOINT_EXTERNAL = "no-endpoint-external";
    static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    static final String NODEPORT_IPS = "nodeport-ips";
    /** (endpoint IP . endpoint IP) for every endpoint: a DNATed packet from an endpoint to itself needs masquerade. */
    static final String HAIRPIN = "hairpin-endpoints";

    static final String SERVICES = "services";
    static final String MARK_FOR_MASQUERADE = "mark-for-masquerade";
    static final String MASQUERADING = "masquerading";
    static final String REJECT = "reject-chain";
    static final String SERVICE_ENDPOINTS_CHECK = "service-endpoints-check";
    static final String EXTERNAL_ENDPOINTS_CHECK = "external-endpoints-check";

    private NftNames() {
    }

    /** Load-balances cluster traffic over every endpoint. */
    static String service(ServicePortInfo sp) {
        return "service-" + portSuffix(sp);
    }

    /** Load-balances over this node's endpoints only (traffic policy Local). */
    static String local(ServicePortInfo sp) {
        return "local-" + portSuffix(sp);
    }

    /** Entry for NodePort, external IP and load-balancer traffic. */
    static String external(ServicePortInfo sp) {
        return "external-" + portSuffix(sp);
    }

    /** Remembers clients in its affinity set and DNATs to one endpoint (sessionAffinity ClientIP only). */
    public static String endpoint(ServicePortInfo sp, EndpointInfo ep) {
        return "endpoint-" + endpointSuffix(sp, ep);
    }

    /** Clients recently sent to one endpoint (sessionAffinity ClientIP); the timeout is part of the name because a
     *  set's timeout cannot change while rules refer to it. */
    static String affinity(ServicePortInfo sp, EndpointInfo ep) {
        return "affinity-" + ChainNames.hash(sp.servicePortName() + sp.protocol() + ep.hostPort() + "/" + sp.affinitySeconds())
                .substring(0, 8) + "-" + readable(sp) + "__" + ep.ip() + "/" + ep.port();
    }

    private static String portSuffix(ServicePortInfo sp) {
        return ChainNames.hash(sp.servicePortName() + sp.protocol()).substring(0, 8) + "-" + readable(sp);
    }

    private static String endpointSuffix(ServicePortInfo sp, EndpointInfo ep) {
        return ChainNames.hash(sp.servicePortName() + sp.protocol() + ep.hostPort()).substring(0, 8) + "-" + readable(sp)
                + "__" + ep.ip() + "/" + ep.port();
    }

    private static String readable(ServicePortInfo sp) {
        return sp.namespace() + "/" + sp.name() + "/" + sp.protocol().toLowerCase(Locale.ROOT) + "/"
                + (sp.portName().isEmpty() ? "p" + sp.port() : sp.portName());
    }
}
