package io.jk8s.cli.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 v3 certificates with BouncyCastle's builder, signing through the JDK's own
 * providers (no security provider is installed globally).
 */
public final class CertificateIssuer {

    /** Tolerates small clock differences between machines, as kubeadm does. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CertificateIssuer(Clock clock) {
        this.clock = clock;
    }

    /** A self-signed certificate authority for {@code keys}. */
    public KeyAndCertificate selfSignedAuthority(KeyPair keys, CertificateRequest request) {
        X500Name subject = subject(request);
        return new KeyAndCertificate(keys.getPrivate(),
                sign(subject, keys.getPublic(), request, subject, keys, null));
    }

    /** A certificate for {@code subjectKey}, signed by {@code issuer}. */
    public X509Certificate issue(PublicKey subjectKey, CertificateRequest request, KeyAndCertificate issuer) {
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return sign(subject(request), subjectKey, request, issuerName, issuer.keyPair(), issuer.certificate());
    }

    private X509Certificate sign(X500Name subject, PublicKey subjectKey, CertificateRequest request,
                                 X500Name issuerName, KeyPair issuerKeys, X509Certificate issuerCertificate) {
        try {
            Instant now = clock.instant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(127, random).add(BigInteger.ONE), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(request.validity())), subject, subjectKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            if (issuerCertificate != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(issuerCertificate));
            }
            switch (request.usage()) {
                case CERTIFICATE_AUTHORITY -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                }
                case SERVER -> {
                    endEntity(builder, KeyPurposeId.id_kp_serverAuth);
                    builder.addExtension(Extension.subjectAlternativeName, false, altNames(request));
                }
                case CLIENT -> endEntity(builder, KeyPurposeId.id_kp_clientAuth);
            }
            var signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithmFor(issuerKeys.getPrivate()))
                    .build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue certificate for " + request.commonName(), e);
        }
    }

    private static void endEntity(X509v3CertificateBuilder builder, KeyPurposeId purpose) throws Exception {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    private static GeneralNames altNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X500Name subject(CertificateRequest request) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        // Go's crypto/x509 and the API server read O before CN; order does not matter for meaning.
        request.organizations().forEach(o -> name.addRDN(BCStyle.O, o));
        name.addRDN(BCStyle.CN, request.commonName());
        return name.build();
    }
}
