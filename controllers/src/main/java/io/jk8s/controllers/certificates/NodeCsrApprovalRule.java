package io.jk8s.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.util.List;
import java.util.Optional;

/**
 * Which CSRs are approved without a human (upstream's csrapproving recognizers, with group
 * membership standing in for their SubjectAccessReviews until RBAC exists):
 * <ul>
 *   <li><b>nodeclient</b>: a kubelet client request made by a member of {@code system:bootstrappers}
 *       (a node joining with a bootstrap token);</li>
 *   <li><b>selfnodeclient</b>: a kubelet client request by the very node it names ({@code username ==
 *       CN}, in {@code system:nodes}), i.e. a renewal.</li>
 * </ul>
 * Everything else stays pending for {@code kubectl certificate approve|deny}.
 */
final class NodeCsrApprovalRule {

    static final String BOOTSTRAPPERS = "system:bootstrappers";

    /** Why a CSR is auto-approved: the condition's message. */
    record Approval(String message) {}

    private NodeCsrApprovalRule() {
    }

    static Optional<Approval> evaluate(CertificateSigningRequest csr) {
        var spec = csr.getSpec();
        if (spec == null || !KubeletClientRequest.SIGNER.equals(spec.getSignerName())) return Optional.empty();
        if (CsrConditions.has(csr, CsrConditions.APPROVED) || CsrConditions.has(csr, CsrConditions.DENIED)
                || CsrConditions.has(csr, CsrConditions.FAILED) || CsrConditions.issued(csr)) {
            return Optional.empty();
        }
        PKCS10CertificationRequest req;
        try {
            req = CertificateRequests.parse(spec.getRequest());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (KubeletClientRequest.problem(req, spec.getUsages()).isPresent()) return Optional.empty();
        List<String> groups = spec.getGroups() == null ? List.of() : spec.getGroups();
        if (groups.contains(BOOTSTRAPPERS)) {
            return Optional.of(new Approval("Auto approving kubelet client certificate after SubjectAccessReview."));
        }
        if (KubeletClientRequest.commonName(req).equals(spec.getUsername()) && groups.contains(KubeletClientRequest.NODES_GROUP)) {
            return Optional.of(new Approval("Auto approving self kubelet client certificate after SubjectAccessReview."));
        }
        return Optional.empty();
    }
}
