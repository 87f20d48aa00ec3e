package io.jk8s.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.ApiException;

/** Where a node's kubelet listens: the Node's InternalIP (else Hostname) and daemon endpoint port. */
public record KubeletAddress(String host, int port) {

    /** Upstream's default kubelet port, used when a Node reports none. */
    static final int DEFAULT_PORT = 10250;

    /** @throws ApiException 400 when the Node publishes no usable address */
    static KubeletAddress of(JsonNode node) {
        String name = node.path("metadata").path("name").asText();
        String host = address(node, "InternalIP");
        if (host == null) host = address(node, "Hostname");
        if (host == null) {
            throw ApiException.badRequest("no preferred addresses found; known addresses: [] for node " + name);
        }
        JsonNode endpoint = node.path("status").path("daemonEndpoints").path("kubeletEndpoint");
        // The JSON name is "Port" (capital P) upstream; accept the lower-case spelling too.
        int port = endpoint.path("Port").asInt(endpoint.path("port").asInt(0));
        return new KubeletAddress(host, port > 0 ? port : DEFAULT_PORT);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if (type.equals(a.path("type").asText()) && !a.path("address").asText().isEmpty()) {
                return a.path("address").asText();
            }
        }
        return null;
    }

    /** {@code host:port}, bracketing IPv6 literals. */
    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
