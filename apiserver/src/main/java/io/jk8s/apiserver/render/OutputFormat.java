package io.jk8s.apiserver.render;

import io.jk8s.api.ApiException;

/** What the client asked for in {@code Accept} (upstream's content negotiation, JSON/YAML only). */
public enum OutputFormat {
    JSON, YAML, TABLE, PARTIAL_METADATA, DISCOVERY_V2;

    /** The first alternative of {@code accept} this server can produce. */
    public static OutputFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) return JSON;
        boolean anyUnsupported = false;
        for (String alt : accept.split(",")) {
            String[] parts = alt.split(";");
            String media = parts[0].trim().toLowerCase();
            String as = null;
            String g = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("as")) as = kv[1].trim();
                if (kv.length == 2 && kv[0].equals("g")) g = kv[1].trim();
            }
            boolean json = media.equals("application/json") || media.equals("*/*") || media.equals("application/*");
            if (json && as == null) return JSON;
            if (json && "meta.k8s.io".equals(g) && as.equals("Table")) return TABLE;
            if (json && "meta.k8s.io".equals(g) && as.startsWith("PartialObjectMetadata")) return PARTIAL_METADATA;
            if (json && "apidiscovery.k8s.io".equals(g) && as.equals("APIGroupDiscoveryList")) return DISCOVERY_V2;
            if (media.equals("application/yaml") && as == null) return YAML;
            anyUnsupported = true;
        }
        if (anyUnsupported) {
            throw ApiException.notAcceptable("only the following media types are accepted: application/json, application/yaml");
        }
        return JSON;
    }

    public String contentType() {
        return switch (this) {
            case YAML -> "application/yaml";
            case TABLE -> "application/json;as=Table;v=v1;g=meta.k8s.io";
            case PARTIAL_METADATA -> "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
            case DISCOVERY_V2 -> "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
            case JSON -> "application/json";
        };
    }
}
