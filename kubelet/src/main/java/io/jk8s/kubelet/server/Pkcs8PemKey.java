package io.jk8s.kubelet.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PKCS#8 ("BEGIN PRIVATE KEY") PEM key with the JDK alone. Netty's PEM path loads and registers the
 * BouncyCastle provider when it is on the class path (~650 classes and a provider table of ~2,000 services that
 * stay in the kubelet's memory for good); the keys jk8s writes are all PKCS#8, so the JDK's key factories suffice.
 */
final class Pkcs8PemKey {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private Pkcs8PemKey() {
    }

    /** The key, or empty when the file holds no PKCS#8 block (e.g. a SEC 1 "EC PRIVATE KEY"). */
    static Optional<PrivateKey> read(Path pem) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(pem));
        if (!m.find()) return Optional.empty();
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(spec));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new IOException("unsupported private key algorithm in " + pem + " (EC, RSA or Ed25519 expected)");
    }
}
