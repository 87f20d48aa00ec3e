package io.jk8s.cli.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * Key generation. EC P-256: generated in milliseconds (RSA 2048 takes ~100 ms or more on a busy
 * machine, which counts against start-up) and accepted by Go's crypto/tls, Java and OpenSSL.
 */
public final class KeyPairs {

    private KeyPairs() {
    }

    public static KeyPair newEcP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JDK", e);
        }
    }

    /** RSA 2048, for service-account tokens (RS256); slower to make than EC, so made once per cluster. */
    public static KeyPair newRsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JDK", e);
        }
    }

    /** The JCA signature algorithm matching a key. */
    static String signatureAlgorithmFor(java.security.PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
