package io.jk8s.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;

/** Approves kubelet client CSRs per {@link NodeCsrApprovalRule} through the {@code /approval} subresource. */
public final class CsrApprovingController extends Controller {

    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;

    public CsrApprovingController(ControllerContext ctx) {
        super("csrapproving");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
    }

    @Override
    public void register(Informers inf) {
        inf.on(CertificateSigningRequest.class, this::enqueue, (o, n) -> enqueue(n), csr -> { });
    }

    @Override
    protected SyncResult sync(String name) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, name);
        if (csr == null) return SyncResult.done();
        NodeCsrApprovalRule.evaluate(csr).ifPresent(approval -> {
            client.certificates().v1().certificateSigningRequests().withName(name)
                    .approve(CsrConditions.of(CsrConditions.APPROVED, "AutoApproved", approval.message(), clock.instant()));
            log.info("approved CSR {} of {}", name, csr.getSpec().getUsername());
        });
        return SyncResult.done();
    }
}
