package io.jk8s.cli.pki;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names a serving certificate covers. IP addresses are kept in canonical literal form
 * ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}) so that sets from different sources compare equal.
 */
public record SubjectAltNames(Set<String> dnsNames, Set<String> ipAddresses) {

    private static final int DNS = 2;
    private static final int IP = 7;

    public SubjectAltNames {
        dnsNames = Set.copyOf(new TreeSet<>(dnsNames));
        ipAddresses = ipAddresses.stream().map(SubjectAltNames::canonicalIp)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        ipAddresses = Set.copyOf(ipAddresses);
    }

    /** The names written into {@code certificate}. */
    public static SubjectAltNames of(X509Certificate certificate) {
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> entry : names) {
                    int type = (Integer) entry.get(0);
                    String value = (String) entry.get(1);
                    if (type == DNS) {
                        dns.add(value);
                    } else if (type == IP) {
                        ips.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subject alternative names", e);
        }
        return new SubjectAltNames(dns, ips);
    }

    /** True if every name in {@code other} is covered by this set. */
    public boolean covers(SubjectAltNames other) {
        return dnsNames.containsAll(other.dnsNames) && ipAddresses.containsAll(other.ipAddresses);
    }

    static String canonicalIp(String literal) {
        String bare = stripZone(literal);
        // Only literals get here, so getByName never performs a DNS lookup.
        if (!bare.contains(":") && !bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            InetAddress address = InetAddress.getByName(bare);
            return compressIpv6(stripZone(address.getHostAddress()));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    private static String stripZone(String literal) {
        int percent = literal.indexOf('%');
        return percent < 0 ? literal : literal.substring(0, percent);
    }

    /** Java prints IPv6 uncompressed; RFC 5952 form makes sets comparable and logs readable. */
    private static String compressIpv6(String address) {
        if (!address.contains(":")) {
            return address;
        }
        String[] groups = address.split(":");
        StringBuilder normal = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            normal.append(i == 0 ? "" : ":").append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
        }
        String joined = ":" + normal + ":";
        // Longest run of zero groups (at least two) becomes "::".
        String best = null;
        for (int run = 8; run >= 2 && best == null; run--) {
            String zeros = ":" + "0:".repeat(run);
            if (joined.contains(zeros)) {
                best = zeros;
            }
        }
        if (best == null) {
            return normal.toString();
        }
        String compressed = joined.replaceFirst(java.util.regex.Pattern.quote(best), "::");
        if (compressed.startsWith(":") && !compressed.startsWith("::")) {
            compressed = compressed.substring(1);
        }
        if (compressed.endsWith(":") && !compressed.endsWith("::")) {
            compressed = compressed.substring(0, compressed.length() - 1);
        }
        return compressed;
    }
}
