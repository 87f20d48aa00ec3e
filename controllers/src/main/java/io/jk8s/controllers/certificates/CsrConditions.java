package io.jk8s.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;

import java.time.Instant;

/** Reading and making CSR status conditions. */
final class CsrConditions {

    static final String APPROVED = "Approved";
    static final String DENIED = "Denied";
    static final String FAILED = "Failed";

    private CsrConditions() {
    }

    static boolean has(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) return false;
        return csr.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && !"False".equals(c.getStatus()));
    }

    static boolean issued(CertificateSigningRequest csr) {
        return csr.getStatus() != null && csr.getStatus().getCertificate() != null && !csr.getStatus().getCertificate().isEmpty();
    }

    static CertificateSigningRequestCondition of(String type, String reason, String message, Instant now) {
        String ts = now.toString();
        return new CertificateSigningRequestConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage(message).withLastUpdateTime(ts).withLastTransitionTime(ts).build();
    }
}
