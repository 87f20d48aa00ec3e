package io.jk8s.cli.pki;

import java.time.Duration;
import java.util.List;

/**
 * What a certificate should say: the subject, its alternative names and what it may be used for.
 *
 * @param commonName   subject CN (for client certificates the Kubernetes user name)
 * @param organizations subject O values (for client certificates the Kubernetes groups)
 * @param dnsNames     DNS subject alternative names
 * @param ipAddresses  IP subject alternative names, literal addresses
 * @param usage        what the key is for
 * @param validity     how long from now the certificate is valid
 */
public record CertificateRequest(String commonName, List<String> organizations, List<String> dnsNames,
                                 List<String> ipAddresses, Usage usage, Duration validity) {

    public enum Usage { CERTIFICATE_AUTHORITY, SERVER, CLIENT }

    public CertificateRequest {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    public static CertificateRequest authority(String commonName, Duration validity) {
        return new CertificateRequest(commonName, List.of(), List.of(), List.of(), Usage.CERTIFICATE_AUTHORITY, validity);
    }

    public static CertificateRequest server(String commonName, SubjectAltNames sans, Duration validity) {
        return new CertificateRequest(commonName, List.of(), List.copyOf(sans.dnsNames()),
                List.copyOf(sans.ipAddresses()), Usage.SERVER, validity);
    }

    public static CertificateRequest client(String user, List<String> groups, Duration validity) {
        return new CertificateRequest(user, groups, List.of(), List.of(), Usage.CLIENT, validity);
    }
}
