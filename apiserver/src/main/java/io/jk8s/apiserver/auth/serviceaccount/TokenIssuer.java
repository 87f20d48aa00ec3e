package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Signs bound service-account tokens with upstream's claims: {@code iss}, {@code sub}
 * ({@code system:serviceaccount:NS:NAME}), {@code aud}, {@code exp}, {@code iat}, {@code nbf},
 * {@code jti}, and the private {@code kubernetes.io} claim naming the namespace, the ServiceAccount
 * and (when bound) the Pod or Secret with their uids.
 */
public final class TokenIssuer {

    /** The object a token is bound to: it stops working when that object is gone. */
    public record BoundObject(String kind, String name, String uid) {}

    private final ServiceAccountTokens config;
    private final String keyId;

    public TokenIssuer(ServiceAccountTokens config) {
        this.config = config;
        this.keyId = Jwt.keyId(config.publicKey());
    }

    /** @param bound null for a token bound only to the ServiceAccount */
    public String issue(String namespace, String serviceAccount, String serviceAccountUid, BoundObject bound,
                        List<String> audiences, Instant now, long expirationSeconds) {
        ObjectNode claims = Json.object();
        var aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        claims.put("exp", now.getEpochSecond() + expirationSeconds);
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", config.issuer());
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject(ServiceAccountTokenAuthenticator.PRIVATE_CLAIM);
        k8s.put("namespace", namespace);
        if (bound != null) {
            k8s.putObject(bound.kind().toLowerCase(java.util.Locale.ROOT)).put("name", bound.name()).put("uid", bound.uid());
        }
        k8s.putObject("serviceaccount").put("name", serviceAccount).put("uid", serviceAccountUid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", ServiceAccountTokenAuthenticator.USER_PREFIX + namespace + ":" + serviceAccount);
        return Jwt.sign(claims, config.signingKey(), keyId);
    }
}
