package io.jk8s.cli.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A private key with the certificate that binds its public key to a name. */
public record KeyAndCertificate(PrivateKey privateKey, X509Certificate certificate) {

    public KeyPair keyPair() {
        return new KeyPair(certificate.getPublicKey(), privateKey);
    }
}
