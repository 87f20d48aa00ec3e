package io.jk8s.cli.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes certificates and keys as PEM. Keys are PKCS#8 ("PRIVATE KEY"), which Go,
 * Netty and the JDK all read. Reading uses only the JDK, so a restart does not load BouncyCastle.
 */
public final class PemFiles {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemFiles() {
    }

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String privateKeyPem(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("expected a PKCS#8 key, got " + key.getFormat());
        }
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * An EC key in SEC 1 form ("EC PRIVATE KEY", with the curve and public key inside), the form
     * kubeadm and k3s put in kubeconfigs: fabric8 picks its key parser from that PEM header and
     * cannot read an EC key in PKCS#8 form; Go reads both.
     */
    public static String ecPrivateKeySec1Pem(KeyAndCertificate key) {
        try {
            var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.privateKey().getEncoded());
            var curve = info.getPrivateKeyAlgorithm().getParameters();
            var publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                    .getInstance(key.certificate().getPublicKey().getEncoded()).getPublicKeyData();
            var ec = (java.security.interfaces.ECPrivateKey) key.privateKey();
            int orderBits = ec.getParams().getOrder().bitLength();
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, ec.getS(), publicKey, curve);
            return pem("EC PRIVATE KEY", sec1.getEncoded());
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("not an EC key", e);
        }
    }

    /** Writes a certificate readable by everyone (it is public). */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeAtomically(file, certificatePem(certificate), "rw-r--r--");
    }

    /** Writes a private key readable only by its owner (0600). */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeAtomically(file, privateKeyPem(key), "rw-------");
    }

    /** Writes a public key ("PUBLIC KEY", DER SubjectPublicKeyInfo) readable by everyone. */
    public static void writePublicKey(Path file, java.security.PublicKey key) throws IOException {
        writeAtomically(file, pem("PUBLIC KEY", key.getEncoded()), "rw-r--r--");
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        byte[] der = decodeBlock(Files.readString(file), "CERTIFICATE", file);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("not a certificate: " + file, e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = decodeBlock(Files.readString(file), "PRIVATE KEY", file);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // the key is of another algorithm
            }
        }
        throw new IOException("unsupported private key in " + file);
    }

    private static byte[] decodeBlock(String text, String type, Path source) throws IOException {
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IOException("no PEM block " + type + " in " + source);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Writes through a temporary file so that a crash never leaves half a key behind. */
    private static void writeAtomically(Path file, String content, String permissions) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
