package io.jk8s.controllers.certificates;

import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a kubelet's client-certificate request (upstream's {@code IsKubeletClientCSR}):
 * subject {@code O=system:nodes, CN=system:node:<name>}, no subject alternative names, usages
 * {digital signature, client auth} with optional key encipherment. Both the approver and the
 * {@code kubernetes.io/kube-apiserver-client-kubelet} signer insist on it.
 */
final class KubeletClientRequest {

    static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    static final String NODES_GROUP = "system:nodes";
    static final String NODE_USER_PREFIX = "system:node:";
    private static final Set<Set<String>> ALLOWED_USAGES = Set.of(
            Set.of("digital signature", "client auth"),
            Set.of("key encipherment", "digital signature", "client auth"));

    private KubeletClientRequest() {
    }

    /** Empty when the request has the kubelet client shape; otherwise what is wrong. */
    static Optional<String> problem(PKCS10CertificationRequest req, List<String> usages) {
        if (!List.of(NODES_GROUP).equals(CertificateRequests.organizations(req))) {
            return Optional.of("subject organization must be exactly [system:nodes]");
        }
        List<String> cn = CertificateRequests.commonNames(req);
        if (cn.size() != 1 || !cn.get(0).startsWith(NODE_USER_PREFIX) || cn.get(0).length() == NODE_USER_PREFIX.length()) {
            return Optional.of("subject common name must be system:node:<node name>");
        }
        GeneralNames sans = CertificateRequests.subjectAltNames(req);
        if (sans != null && sans.getNames().length > 0) {
            return Optional.of("subject alternative names are not allowed");
        }
        if (usages == null || usages.size() != Set.copyOf(usages).size() || !ALLOWED_USAGES.contains(Set.copyOf(usages))) {
            return Optional.of("usages must be [digital signature, client auth] (optionally key encipherment)");
        }
        return Optional.empty();
    }

    /** The node user the certificate is for, e.g. {@code system:node:worker-1}. */
    static String commonName(PKCS10CertificationRequest req) {
        return CertificateRequests.commonNames(req).get(0);
    }
}
