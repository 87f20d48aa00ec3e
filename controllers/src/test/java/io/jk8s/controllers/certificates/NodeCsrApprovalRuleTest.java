package io.jk8s.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatusBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCsrApprovalRuleTest {

    private static final String KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
    private static final List<String> CLIENT_USAGES = List.of("digital signature", "client auth");
    private static final List<String> BOOTSTRAP_GROUPS = List.of("system:bootstrappers", "system:authenticated");
    private static KeyPair key;
    private static String nodeRequest;

    @BeforeAll
    static void keys() throws Exception {
        key = TestCsrs.ecKey();
        nodeRequest = TestCsrs.request(key, "O=system:nodes,CN=system:node:worker-1");
    }

    @Test
    void approvesKubeletClientRequestFromBootstrapper() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET, CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isPresent();
    }

    @Test
    void approvesKeyEnciphermentVariant() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET,
                List.of("key encipherment", "digital signature", "client auth"), "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isPresent();
    }

    @Test
    void approvesRenewalByTheSameNode() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET, CLIENT_USAGES,
                "system:node:worker-1", List.of("system:nodes", "system:authenticated")))).isPresent();
    }

    @Test
    void leavesRenewalForAnotherNodePending() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET, CLIENT_USAGES,
                "system:node:worker-2", List.of("system:nodes", "system:authenticated")))).isEmpty();
    }

    @Test
    void leavesOrdinaryUsersPending() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET, CLIENT_USAGES,
                "alice", List.of("system:authenticated")))).isEmpty();
    }

    @Test
    void leavesOtherSignersPending() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, "kubernetes.io/kube-apiserver-client", CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }

    @Test
    void leavesWrongOrganizationPending() throws Exception {
        String masters = TestCsrs.request(key, "O=system:masters,CN=system:node:worker-1");
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(masters, KUBELET, CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }

    @Test
    void leavesWrongCommonNamePending() throws Exception {
        String admin = TestCsrs.request(key, "O=system:nodes,CN=kubernetes-admin");
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(admin, KUBELET, CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }

    @Test
    void leavesRequestWithSubjectAltNamesPending() throws Exception {
        String withSan = TestCsrs.request(key, "O=system:nodes,CN=system:node:worker-1", "evil.example");
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(withSan, KUBELET, CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }

    @Test
    void leavesServerAuthUsagePending() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr(nodeRequest, KUBELET, List.of("digital signature", "client auth", "server auth"),
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }

    @Test
    void doesNotReapproveDeniedRequest() {
        CertificateSigningRequest csr = TestCsrs.csr(nodeRequest, KUBELET, CLIENT_USAGES, "system:bootstrap:abcdef", BOOTSTRAP_GROUPS);
        csr.setStatus(new CertificateSigningRequestStatusBuilder()
                .withConditions(CsrConditions.of("Denied", "AdminSaidNo", "no", Instant.now())).build());
        assertThat(NodeCsrApprovalRule.evaluate(csr)).isEmpty();
    }

    @Test
    void garbageRequestStaysPending() {
        assertThat(NodeCsrApprovalRule.evaluate(TestCsrs.csr("bm90IGEgY3Ny", KUBELET, CLIENT_USAGES,
                "system:bootstrap:abcdef", BOOTSTRAP_GROUPS))).isEmpty();
    }
}
