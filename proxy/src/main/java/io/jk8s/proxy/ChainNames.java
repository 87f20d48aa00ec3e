package io.jk8s.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Names of the chains jk8s owns. Per-service chains carry a stable hash of the service port (and endpoint),
 * like kube-proxy, so that a resync rewrites the same chains instead of creating new ones.
 */
public final class ChainNames {

    public static final String SERVICES = "KUBE-SERVICES";
    public static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    public static final String NODEPORTS = "KUBE-NODEPORTS";
    public static final String POSTROUTING = "KUBE-POSTROUTING";
    public static final String MARK_MASQ = "KUBE-MARK-MASQ";
    public static final String FORWARD = "KUBE-FORWARD";

    /** Fixed nat chains, always present while the proxy runs. */
    public static final List<String> NAT_BASE = List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ);
    /** Fixed filter chains, always present while the proxy runs. */
    public static final List<String> FILTER_BASE = List.of(SERVICES, EXTERNAL_SERVICES, NODEPORTS, FORWARD);
    /** Prefixes of per-service nat chains; any chain with one of them that is not wanted any more is deleted. */
    public static final List<String> PER_SERVICE_PREFIXES = List.of("KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-SEP-");

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private ChainNames() {
    }

    static String service(String servicePortName, String protocol) {
        return "KUBE-SVC-" + hash(servicePortName + protocol);
    }

    static String serviceLocal(String servicePortName, String protocol) {
        return "KUBE-SVL-" + hash(servicePortName + protocol);
    }

    static String external(String servicePortName, String protocol) {
        return "KUBE-EXT-" + hash(servicePortName + protocol);
    }

    static String endpoint(String servicePortName, String protocol, String endpoint) {
        return "KUBE-SEP-" + hash(servicePortName + protocol + endpoint);
    }

    static boolean isPerService(String chain) {
        return PER_SERVICE_PREFIXES.stream().anyMatch(chain::startsWith);
    }

    /** 16 base32 characters (80 bits) of SHA-256: short enough for iptables' 28-character chain names. */
    public static String hash(String input) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder(16);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < 10; i++) {
            buffer = (buffer << 8) | (digest[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
