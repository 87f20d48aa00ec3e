package io.jk8s.cli.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates under {@code <data-dir>/server/tls/}: created on first start,
 * reused afterwards. The serving certificate is re-issued when it no longer covers this host's
 * names (a new interface address, a renamed host) or has expired; the CA never changes, so
 * existing kubeconfigs keep working.
 */
public final class ClusterPki {

    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String ADMIN_GROUP = "system:masters";
    /** Upstream kubeadm's name for the API server's kubelet client certificate. */
    public static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);

    private final Path dir;
    private final CertificateIssuer issuer;
    private final Clock clock;

    public ClusterPki(Path tlsDir, Clock clock) {
        this.dir = tlsDir;
        this.clock = clock;
        this.issuer = new CertificateIssuer(clock);
    }

    public Path caCertificateFile() { return dir.resolve("ca.crt"); }
    public Path caKeyFile() { return dir.resolve("ca.key"); }
    public Path servingCertificateFile() { return dir.resolve("serving-kube-apiserver.crt"); }
    public Path servingKeyFile() { return dir.resolve("serving-kube-apiserver.key"); }
    public Path adminCertificateFile() { return dir.resolve("client-admin.crt"); }
    public Path adminKeyFile() { return dir.resolve("client-admin.key"); }
    /** The API server's client certificate towards kubelets (kube-apiserver's --kubelet-client-certificate). */
    public Path kubeletClientCertificateFile() { return dir.resolve("client-kube-apiserver-kubelet.crt"); }
    public Path kubeletClientKeyFile() { return dir.resolve("client-kube-apiserver-kubelet.key"); }
    /** The serving certificate of this machine's own kubelet ({@link #ensureKubeletServing}). */
    public Path kubeletServingCertificateFile() { return dir.resolve("serving-kubelet.crt"); }
    public Path kubeletServingKeyFile() { return dir.resolve("serving-kubelet.key"); }

    /** RSA key that signs service-account tokens (kube-apiserver's --service-account-signing-key-file). */
    public Path serviceAccountKeyFile() { return dir.resolve("sa.key"); }
    /** Its public half (--service-account-key-file), for whoever verifies tokens outside the API server. */
    public Path serviceAccountPublicKeyFile() { return dir.resolve("sa.pub"); }

    /** Makes sure every certificate exists, is valid and (for serving) covers {@code sans}. */
    public Material ensure(SubjectAltNames sans) throws IOException {
        Files.createDirectories(dir);
        KeyAndCertificate ca = ensureAuthority();
        KeyAndCertificate serving = ensureLeaf(servingKeyFile(), servingCertificateFile(), ca,
                CertificateRequest.server("kube-apiserver", sans, LEAF_VALIDITY),
                existing -> SubjectAltNames.of(existing).covers(sans));
        KeyAndCertificate admin = ensureLeaf(adminKeyFile(), adminCertificateFile(), ca,
                CertificateRequest.client(ADMIN_USER, List.of(ADMIN_GROUP), LEAF_VALIDITY),
                existing -> true);
        ensureLeaf(kubeletClientKeyFile(), kubeletClientCertificateFile(), ca,
                CertificateRequest.client(KUBELET_CLIENT_USER, List.of(ADMIN_GROUP), LEAF_VALIDITY), existing -> true);
        ensureServiceAccountKey();
        return new Material(ca, serving, admin);
    }

    /**
     * The serving certificate of the kubelet on this machine (node name, node IP, 127.0.0.1, localhost),
     * from the cluster CA; reused while it still covers those names. Call after {@link #ensure}.
     */
    public void ensureKubeletServing(String nodeName, String nodeIp) throws IOException {
        KeyAndCertificate ca = ensureAuthority();
        java.util.Set<String> dns = new java.util.LinkedHashSet<>(List.of(nodeName, "localhost"));
        java.util.Set<String> ips = new java.util.LinkedHashSet<>(List.of(nodeIp, "127.0.0.1"));
        SubjectAltNames sans = new SubjectAltNames(dns, ips);
        ensureLeaf(kubeletServingKeyFile(), kubeletServingCertificateFile(), ca,
                CertificateRequest.server(nodeName, sans, LEAF_VALIDITY), existing -> SubjectAltNames.of(existing).covers(sans));
    }

    /**
     * The service-account signing key: RSA 2048, since tokens are RS256 as upstream's (kubeadm makes the
     * same kind of key); kept across restarts so issued tokens stay valid.
     */
    private void ensureServiceAccountKey() throws IOException {
        if (Files.exists(serviceAccountKeyFile()) && Files.exists(serviceAccountPublicKeyFile())) return;
        KeyPair keys = KeyPairs.newRsa2048();
        PemFiles.writePublicKey(serviceAccountPublicKeyFile(), keys.getPublic());
        PemFiles.writePrivateKey(serviceAccountKeyFile(), keys.getPrivate());
        LOG.info("created service-account signing key {}", serviceAccountKeyFile());
    }

    private KeyAndCertificate ensureAuthority() throws IOException {
        if (Files.exists(caCertificateFile()) && Files.exists(caKeyFile())) {
            return new KeyAndCertificate(PemFiles.readPrivateKey(caKeyFile()), PemFiles.readCertificate(caCertificateFile()));
        }
        KeyAndCertificate ca = issuer.selfSignedAuthority(KeyPairs.newEcP256(),
                CertificateRequest.authority("jk8s-ca@" + clock.instant().getEpochSecond(), CA_VALIDITY));
        PemFiles.writePrivateKey(caKeyFile(), ca.privateKey());
        PemFiles.writeCertificate(caCertificateFile(), ca.certificate());
        LOG.info("created cluster CA {}", caCertificateFile());
        return ca;
    }

    private KeyAndCertificate ensureLeaf(Path keyFile, Path certFile, KeyAndCertificate ca,
                                         CertificateRequest request, java.util.function.Predicate<X509Certificate> stillFits)
            throws IOException {
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            X509Certificate existing = PemFiles.readCertificate(certFile);
            if (isCurrent(existing, ca) && stillFits.test(existing)) {
                return new KeyAndCertificate(PemFiles.readPrivateKey(keyFile), existing);
            }
            LOG.info("re-issuing {} (expired, other CA, or names changed)", certFile.getFileName());
        }
        KeyPair keys = KeyPairs.newEcP256();
        X509Certificate certificate = issuer.issue(keys.getPublic(), request, ca);
        PemFiles.writePrivateKey(keyFile, keys.getPrivate());
        PemFiles.writeCertificate(certFile, certificate);
        return new KeyAndCertificate(keys.getPrivate(), certificate);
    }

    private boolean isCurrent(X509Certificate certificate, KeyAndCertificate ca) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            certificate.verify(ca.certificate().getPublicKey());
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** The cluster's keys and certificates after {@link #ensure}. */
    public record Material(KeyAndCertificate ca, KeyAndCertificate serving, KeyAndCertificate admin) {
    }
}
