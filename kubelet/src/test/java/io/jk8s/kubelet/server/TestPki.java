package io.jk8s.kubelet.server;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for kubelet server tests: a CA, a serving certificate for 127.0.0.1 and client
 * certificates (EC P-256, PKCS#8 PEM files as the cluster PKI writes them).
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    public record Issued(KeyPair keys, X509Certificate certificate) {}

    public final Issued ca;
    public final Path caPem;
    public final Path servingCertPem;
    public final Path servingKeyPem;
    public final Issued client;

    public TestPki(Path dir) throws Exception {
        ca = selfSignedCa("test-cluster-ca");
        Issued serving = issue("kubelet", ca, KeyPurposeId.id_kp_serverAuth);
        client = issue("kube-apiserver-kubelet-client", ca, KeyPurposeId.id_kp_clientAuth);
        Files.createDirectories(dir);
        caPem = write(dir.resolve("ca.crt"), "CERTIFICATE", ca.certificate().getEncoded());
        servingCertPem = write(dir.resolve("kubelet.crt"), "CERTIFICATE", serving.certificate().getEncoded());
        servingKeyPem = write(dir.resolve("kubelet.key"), "PRIVATE KEY", serving.keys().getPrivate().getEncoded());
    }

    public KubeletServer.Settings settings() {
        return new KubeletServer.Settings("127.0.0.1", 0, servingCertPem, servingKeyPem, caPem);
    }

    /** A TLS client that trusts the CA and presents {@code identity} (null: no client certificate). */
    public SSLContext clientContext(Issued identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity != null) {
            keys.setKeyEntry("client", identity.keys().getPrivate(), new char[0], new X509Certificate[]{identity.certificate()});
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    public static Issued selfSignedCa(String name) throws Exception {
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("CN=" + name);
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(Instant.now().minus(5, ChronoUnit.MINUTES)), Date.from(Instant.now().plus(1, ChronoUnit.DAYS)),
                subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
        return new Issued(keys, sign(builder, keys));
    }

    public static Issued issue(String name, Issued issuer, KeyPurposeId purpose) throws Exception {
        KeyPair keys = newKeys();
        var builder = new JcaX509v3CertificateBuilder(issuer.certificate(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(Instant.now().minus(5, ChronoUnit.MINUTES)), Date.from(Instant.now().plus(1, ChronoUnit.DAYS)),
                new X500Name("CN=" + name), keys.getPublic());
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (purpose == KeyPurposeId.id_kp_serverAuth) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new Issued(keys, sign(builder, issuer.keys()));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Path write(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
