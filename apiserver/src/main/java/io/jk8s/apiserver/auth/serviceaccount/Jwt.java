package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

/**
 * RS256 JSON Web Tokens (RFC 7519, JWS compact form) with the JDK's {@code SHA256withRSA} and Jackson.
 * Only what service-account tokens need: one algorithm, one key; no JWE, no key sets. A JWT library
 * (jose4j, nimbus) would bring algorithm negotiation this code deliberately does not have: a token
 * whose header names anything but RS256 is refused before its signature is looked at.
 */
public final class Jwt {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Jwt() {
    }

    /** {@code header.claims.signature}, header {@code {"alg":"RS256","kid":keyId}}. */
    public static String sign(ObjectNode claims, RSAPrivateKey key, String keyId) {
        ObjectNode header = Json.object().put("alg", "RS256").put("kid", keyId);
        String signingInput = B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(claims));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
    }

    /** True when the token has the shape of a compact JWS (three base64url parts). */
    public static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        return first > 0 && last > first + 1 && last < token.length() - 1 && token.indexOf('.', first + 1) == last;
    }

    /** The claims of a token signed with RS256 by {@code key}; empty when malformed or the signature is wrong. */
    public static Optional<ObjectNode> verify(String token, RSAPublicKey key) {
        if (!looksLikeJwt(token)) return Optional.empty();
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        try {
            JsonNode header = Json.parse(B64D.decode(token.substring(0, first)), false, false);
            if (!"RS256".equals(header.path("alg").asText())) return Optional.empty();
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(token.substring(0, last).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(B64D.decode(token.substring(last + 1)))) return Optional.empty();
            JsonNode claims = Json.parse(B64D.decode(token.substring(first + 1, last)), false, false);
            return claims instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException | io.jk8s.api.ApiException e) {
            return Optional.empty(); // bad base64, bad JSON, a signature of the wrong length
        }
    }

    /** Upstream's key id: the base64url SHA-256 of the public key's DER SubjectPublicKeyInfo. */
    public static String keyId(RSAPublicKey key) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
