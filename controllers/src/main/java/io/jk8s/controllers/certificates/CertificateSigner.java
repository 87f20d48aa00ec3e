package io.jk8s.controllers.certificates;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Issues certificates from PKCS#10 requests with the cluster CA (upstream's local signer): subject
 * and subject alternative names from the request, key usages from the CSR's {@code spec.usages},
 * not a CA, valid from 5 minutes ago (clock skew, as upstream) until the requested duration ends,
 * never beyond the CA's own expiry.
 */
public final class CertificateSigner {

    /** Upstream's {@code --cluster-signing-duration} default. */
    public static final Duration DEFAULT_DURATION = Duration.ofDays(365);
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate ca;
    private final PrivateKey caKey;
    private final Clock clock;

    public CertificateSigner(X509Certificate ca, PrivateKey caKey, Clock clock) {
        this.ca = ca;
        this.caKey = caKey;
        this.clock = clock;
    }

    /** The CA from PEM files (the key as PKCS#8 or SEC1/PKCS#1). */
    public static CertificateSigner fromFiles(Path certFile, Path keyFile, Clock clock) throws IOException {
        try (var in = Files.newInputStream(certFile); Reader keyReader = Files.newBufferedReader(keyFile);
             PEMParser parser = new PEMParser(keyReader)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(in.readAllBytes()));
            Object key = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey pk = switch (key) {
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new IOException("no private key in " + keyFile);
            };
            return new CertificateSigner(cert, pk, clock);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the signing CA " + certFile + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate ca() {
        return ca;
    }

    /**
     * @param usages   CSR usages ("digital signature", "client auth" ...)
     * @param duration requested validity (null = {@link #DEFAULT_DURATION})
     * @throws IllegalArgumentException for an unknown usage
     */
    public X509Certificate sign(PKCS10CertificationRequest req, List<String> usages, Duration duration) {
        Instant now = clock.instant();
        Instant notAfter = now.plus(duration == null ? DEFAULT_DURATION : duration);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) notAfter = ca.getNotAfter().toInstant();
        Usages u = Usages.of(usages);
        try {
            // The issuer is the CA's subject byte for byte, so that chain building matches it.
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                    req.getSubject(), new JcaPEMKeyConverter().getPublicKey(req.getSubjectPublicKeyInfo()));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (u.keyUsage() != 0) b.addExtension(Extension.keyUsage, true, new KeyUsage(u.keyUsage()));
            if (!u.extended().isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(u.extended().toArray(KeyPurposeId[]::new)));
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            GeneralNames sans = CertificateRequests.subjectAltNames(req);
            if (sans != null && sans.getNames().length > 0) b.addExtension(Extension.subjectAlternativeName, false, sans);
            String alg = caKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(caKey)));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** PEM of a certificate, as {@code status.certificate} holds it (the API carries it base64 in JSON). */
    public static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CSR usage strings → X.509 key usage bits and extended key usages (upstream's KeyUsagesFromStrings). */
    record Usages(int keyUsage, List<KeyPurposeId> extended) {
        static Usages of(List<String> usages) {
            int bits = 0;
            List<KeyPurposeId> eku = new ArrayList<>();
            for (String s : usages == null ? List.<String>of() : usages) {
                switch (s) {
                    case "signing", "digital signature" -> bits |= KeyUsage.digitalSignature;
                    case "content commitment" -> bits |= KeyUsage.nonRepudiation;
                    case "key encipherment" -> bits |= KeyUsage.keyEncipherment;
                    case "key agreement" -> bits |= KeyUsage.keyAgreement;
                    case "data encipherment" -> bits |= KeyUsage.dataEncipherment;
                    case "cert sign" -> bits |= KeyUsage.keyCertSign;
                    case "crl sign" -> bits |= KeyUsage.cRLSign;
                    case "encipher only" -> bits |= KeyUsage.encipherOnly;
                    case "decipher only" -> bits |= KeyUsage.decipherOnly;
                    case "any" -> eku.add(KeyPurposeId.anyExtendedKeyUsage);
                    case "server auth" -> eku.add(KeyPurposeId.id_kp_serverAuth);
                    case "client auth" -> eku.add(KeyPurposeId.id_kp_clientAuth);
                    case "code signing" -> eku.add(KeyPurposeId.id_kp_codeSigning);
                    case "email protection" -> eku.add(KeyPurposeId.id_kp_emailProtection);
                    case "s/mime" -> eku.add(KeyPurposeId.id_kp_emailProtection);
                    case "ipsec end system" -> eku.add(KeyPurposeId.id_kp_ipsecEndSystem);
                    case "ipsec tunnel" -> eku.add(KeyPurposeId.id_kp_ipsecTunnel);
                    case "ipsec user" -> eku.add(KeyPurposeId.id_kp_ipsecUser);
                    case "timestamping" -> eku.add(KeyPurposeId.id_kp_timeStamping);
                    case "ocsp signing" -> eku.add(KeyPurposeId.id_kp_OCSPSigning);
                    case "microsoft sgc" -> eku.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.10.3.3")));
                    case "netscape sgc" -> eku.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier("2.16.840.1.113730.4.1")));
                    default -> throw new IllegalArgumentException("unknown usage \"" + s + "\"");
                }
            }
            return new Usages(bits, eku);
        }
    }
}
