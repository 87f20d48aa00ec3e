package io.jk8s.cli.join;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.cli.kubeconfig.Kubeconfig;
import io.jk8s.cli.pki.KeyAndCertificate;
import io.jk8s.cli.pki.KeyPairs;
import io.jk8s.cli.pki.PemFiles;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent's identity ({@code system:node:<name>} in {@code system:nodes}), as the kubelet's TLS
 * bootstrap: a kubeconfig with a client certificate, kept in {@code <agent-dir>/kubelet.kubeconfig}.
 * Reused while its certificate is valid for this node and server; otherwise obtained with the bootstrap
 * token: a fresh key, a CSR for signer {@code kubernetes.io/kube-apiserver-client-kubelet}, and a wait
 * for the controller manager to approve and sign it.
 */
public final class NodeCredentials {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    public static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    /** Re-join ahead of expiry rather than start with a certificate about to lapse. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

    private NodeCredentials() {
    }

    public static Path kubeconfigFile(Path agentDir) {
        return agentDir.resolve("kubelet.kubeconfig");
    }

    /** True when the stored kubeconfig is for this node on this server and its certificate is still good. */
    static boolean reusable(Path kubeconfig, String server, String nodeName, Clock clock) {
        if (!Files.isReadable(kubeconfig)) return false;
        try {
            Config cfg = io.jk8s.cli.KubeClients.readKubeconfig(kubeconfig);
            if (!server.replaceAll("/+$", "").equals(cfg.getMasterUrl().replaceAll("/+$", ""))) return false;
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(cfg.getClientCertData())));
            boolean forNode = cert.getSubjectX500Principal().getName().contains("CN=system:node:" + nodeName);
            return forNode && cert.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        } catch (Exception e) {
            LOG.warn("agent: ignoring unreadable {}: {}", kubeconfig, e.toString());
            return false;
        }
    }

    /**
     * Returns the kubeconfig to run the node with, joining first when needed.
     *
     * @param timeout how long to wait for the CSR to be approved and signed
     */
    public static Path ensure(Path agentDir, String server, JoinToken token, String nodeName, Duration timeout, Clock clock)
            throws Exception {
        Path file = kubeconfigFile(agentDir);
        if (reusable(file, server, nodeName, clock)) {
            LOG.info("agent: reusing the node certificate in {}", file);
            return file;
        }
        X509Certificate ca = ServerCa.fetchVerified(server, token.caHash());
        LOG.info("agent: server CA verified (sha256:{}); requesting a certificate for system:node:{}", token.caHash(), nodeName);
        KeyPair key = KeyPairs.newEcP256();
        // Config.empty(): nothing from ~/.kube, $KUBECONFIG or the environment may leak into the join.
        Config bootstrap = new ConfigBuilder(Config.empty()).withMasterUrl(server).withCaCertData(base64(PemFiles.certificatePem(ca)))
                .withOauthToken(token.token().toString()).withRequestTimeout(30_000).build();
        X509Certificate cert;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(bootstrap)
                .withKubernetesSerialization(new io.jk8s.cli.OnDemandKindSerialization()).build()) {
            cert = requestCertificate(client, nodeName, key, timeout);
        }
        new Kubeconfig(server, ca, new KeyAndCertificate(key.getPrivate(), cert)).writeTo(file);
        LOG.info("agent: joined as system:node:{}; credentials in {}", nodeName, file);
        return file;
    }

    private static X509Certificate requestCertificate(KubernetesClient client, String nodeName, KeyPair key, Duration timeout)
            throws Exception {
        String name = "node-csr-" + nodeName + "-" + Long.toString(System.currentTimeMillis(), 36);
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSignerName(SIGNER).withUsages(List.of("digital signature", "client auth"))
                .withRequest(base64(pkcs10Pem(nodeName, key))).endSpec().build();
        try {
            client.certificates().v1().certificateSigningRequests().resource(csr).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401) {
                throw new IOException("the server rejected the bootstrap token (expired, deleted or wrong); create a new one with 'jk8s token create'");
            }
            throw e;
        }
        LOG.info("agent: created CertificateSigningRequest {}; waiting for approval and signing", name);
        CertificateSigningRequest done = client.certificates().v1().certificateSigningRequests().withName(name)
                .waitUntilCondition(c -> c == null || issued(c) || finished(c), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (done == null || !issued(done)) {
            throw new IOException("CertificateSigningRequest " + name + " was " + (done == null ? "deleted" : "denied or failed")
                    + "; see 'kubectl describe csr " + name + "'");
        }
        byte[] pem = Base64.getDecoder().decode(done.getStatus().getCertificate());
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private static boolean issued(CertificateSigningRequest c) {
        return c.getStatus() != null && c.getStatus().getCertificate() != null && !c.getStatus().getCertificate().isEmpty();
    }

    private static boolean finished(CertificateSigningRequest c) {
        return c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                .anyMatch(x -> ("Denied".equals(x.getType()) || "Failed".equals(x.getType())) && "True".equals(x.getStatus()));
    }

    /** A PKCS#10 request for {@code O=system:nodes, CN=system:node:<name>}, PEM. */
    static String pkcs10Pem(String nodeName, KeyPair key) throws Exception {
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "system:nodes")
                .addRDN(BCStyle.CN, "system:node:" + nodeName).build();
        var req = new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(req);
        }
        return out.toString();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
