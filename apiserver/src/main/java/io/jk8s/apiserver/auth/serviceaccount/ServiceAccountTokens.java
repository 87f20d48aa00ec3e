package io.jk8s.apiserver.auth.serviceaccount;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the API server issues and checks service-account tokens: kube-apiserver's
 * {@code --service-account-signing-key-file}, {@code --service-account-key-file},
 * {@code --service-account-issuer}, {@code --api-audiences} and {@code --service-account-max-token-expiration}.
 *
 * @param signingKey    RSA private key that signs tokens
 * @param publicKey     the matching public key that verifies them
 * @param issuer        the {@code iss} claim; tokens with another issuer are not ours
 * @param apiAudiences  audiences that identify this API server; a token must name one of them
 * @param maxExpiration upper bound on a requested lifetime (longer requests are shortened); null = none, as upstream
 */
public record ServiceAccountTokens(RSAPrivateKey signingKey, RSAPublicKey publicKey, String issuer,
                                   List<String> apiAudiences, Duration maxExpiration) {

    /** Upstream's (and kubeadm's) default issuer. */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    private static final Pattern PEM = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    public ServiceAccountTokens {
        apiAudiences = List.copyOf(apiAudiences);
        if (apiAudiences.isEmpty()) throw new IllegalArgumentException("at least one API audience is needed");
    }

    /** Keys from a PKCS#8 PEM RSA private key; issuer and audiences as upstream's defaults. */
    public static ServiceAccountTokens fromPrivateKeyFile(Path pkcs8Pem) throws IOException {
        var m = PEM.matcher(Files.readString(pkcs8Pem));
        if (!m.find()) throw new IOException("no PKCS#8 PRIVATE KEY block in " + pkcs8Pem);
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new ServiceAccountTokens(key, pub, DEFAULT_ISSUER, List.of(DEFAULT_ISSUER), null);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("not an RSA private key: " + pkcs8Pem, e);
        }
    }

    /** For tests: the same keys with other audiences. */
    public ServiceAccountTokens withApiAudiences(List<String> audiences) {
        return new ServiceAccountTokens(signingKey, publicKey, issuer, audiences, maxExpiration);
    }

    /** The modulus size, for logs. */
    public int keyBits() {
        BigInteger n = publicKey.getModulus();
        return n.bitLength();
    }
}
