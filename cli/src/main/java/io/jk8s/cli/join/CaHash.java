package io.jk8s.cli.join;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * kubeadm's CA pin ({@code --discovery-token-ca-cert-hash sha256:<hex>}): the SHA-256 of the CA
 * certificate's DER-encoded SubjectPublicKeyInfo, in lower-case hex. Pinning the public key rather than
 * the certificate keeps the pin valid when the CA is re-issued with the same key. Same value as
 * {@code openssl x509 -pubkey -in ca.crt | openssl pkey -pubin -outform der | sha256sum}.
 */
public final class CaHash {

    private CaHash() {
    }

    /** 64 lower-case hex digits. */
    public static String of(X509Certificate ca) {
        try {
            // getPublicKey().getEncoded() is the X.509 SubjectPublicKeyInfo DER.
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
