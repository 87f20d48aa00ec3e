package io.jk8s.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.SyncResult;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Issues approved CSRs of the built-in client signers with the cluster CA
 * ({@link io.jk8s.controllers.runtime.ControllerManagerConfig#signingCaCertFile()}): writes
 * {@code status.certificate}, or a {@code Failed} condition when the request does not fit its signer.
 * Without a configured CA it signs nothing (as kube-controller-manager without signing files).
 */
public final class CsrSigningController extends Controller {

    static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    static final Set<String> SIGNERS = Set.of(KubeletClientRequest.SIGNER, CLIENT_SIGNER, SERVING_SIGNER);
    private static final Duration MIN_DURATION = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;
    private final CertificateSigner signer;

    public CsrSigningController(ControllerContext ctx) {
        super("csrsigning");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
        var cfg = ctx.config();
        if (cfg.signingCaCertFile() == null || cfg.signingCaKeyFile() == null) {
            this.signer = null;
            log.info("csrsigning: no signing CA configured; CSRs will not be signed");
        } else {
            try {
                this.signer = CertificateSigner.fromFiles(cfg.signingCaCertFile(), cfg.signingCaKeyFile(), clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void register(Informers inf) {
        inf.on(CertificateSigningRequest.class, this::enqueue, (o, n) -> enqueue(n), csr -> { });
    }

    @Override
    protected SyncResult sync(String name) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, name);
        if (signer == null || csr == null || csr.getSpec() == null) return SyncResult.done();
        if (!SIGNERS.contains(csr.getSpec().getSignerName())) return SyncResult.done();
        if (!CsrConditions.has(csr, CsrConditions.APPROVED) || CsrConditions.has(csr, CsrConditions.DENIED)
                || CsrConditions.has(csr, CsrConditions.FAILED) || CsrConditions.issued(csr)) {
            return SyncResult.done();
        }
        CertificateSigningRequest next = Copies.deepCopy(csr);
        if (next.getStatus() == null) next.setStatus(new CertificateSigningRequestStatus());
        Outcome outcome = issue(csr);
        switch (outcome) {
            case Outcome.Issued issued -> next.getStatus().setCertificate(
                    Base64.getEncoder().encodeToString(issued.pem().getBytes(StandardCharsets.US_ASCII)));
            case Outcome.Failed failed -> {
                var conditions = new ArrayList<>(next.getStatus().getConditions() == null ? java.util.List.of() : next.getStatus().getConditions());
                conditions.add(CsrConditions.of(CsrConditions.FAILED, "SignerValidationFailure", failed.message(), clock.instant()));
                next.getStatus().setConditions(conditions);
            }
        }
        client.certificates().v1().certificateSigningRequests().resource(next).updateStatus();
        log.info("CSR {}: {}", name, outcome instanceof Outcome.Issued ? "certificate issued" : "failed: " + ((Outcome.Failed) outcome).message());
        return SyncResult.done();
    }

    /** What the signer does with one approved request. */
    sealed interface Outcome {
        record Issued(String pem) implements Outcome {}

        record Failed(String message) implements Outcome {}
    }

    Outcome issue(CertificateSigningRequest csr) {
        var spec = csr.getSpec();
        PKCS10CertificationRequest req;
        try {
            req = CertificateRequests.parse(spec.getRequest());
        } catch (IllegalArgumentException e) {
            return new Outcome.Failed(e.getMessage());
        }
        if (KubeletClientRequest.SIGNER.equals(spec.getSignerName())) {
            Optional<String> problem = KubeletClientRequest.problem(req, spec.getUsages());
            if (problem.isPresent()) return new Outcome.Failed("invalid kubelet client request: " + problem.get());
        }
        if (CLIENT_SIGNER.equals(spec.getSignerName()) && spec.getUsages() != null && spec.getUsages().contains("server auth")) {
            return new Outcome.Failed("usage \"server auth\" is not allowed for " + CLIENT_SIGNER);
        }
        Duration duration = spec.getExpirationSeconds() == null ? null
                : max(Duration.ofSeconds(spec.getExpirationSeconds()), MIN_DURATION);
        try {
            return new Outcome.Issued(CertificateSigner.pem(signer.sign(req, spec.getUsages(), duration)));
        } catch (IllegalArgumentException e) {
            return new Outcome.Failed(e.getMessage());
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
