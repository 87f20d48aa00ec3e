package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.math.BigInteger;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Service-account issuer discovery, as kube-apiserver serves it: an OpenID Connect provider configuration at
 * {@code /.well-known/openid-configuration} and the key set at {@code /openid/v1/jwks}, so that a relying party
 * outside the cluster (a cloud's workload identity, Vault) can verify the cluster's tokens. Both documents are
 * fixed for the server's life, so they are rendered once. Access is RBAC's, through
 * {@code system:service-account-issuer-discovery}.
 */
public final class IssuerDiscovery {

    public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";
    /** What upstream answers the key set with. */
    public static final String JWKS_CONTENT_TYPE = "application/jwk-set+json";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] configuration;
    private final byte[] keySet;

    /**
     * @param externalAddress {@code https://host:port} the API server is reached on, which the {@code jwks_uri}
     *                        points at (upstream: {@code --service-account-jwks-uri}, else the external address)
     */
    public IssuerDiscovery(ServiceAccountTokens tokens, String externalAddress) {
        URI issuer = URI.create(tokens.issuer());
        if (!"https".equals(issuer.getScheme())) {
            // Upstream serves discovery only for an https issuer: OIDC requires one.
            throw new IllegalArgumentException("service-account issuer discovery needs an https issuer, got " + tokens.issuer());
        }
        ObjectNode config = Json.object();
        config.put("issuer", tokens.issuer());
        config.put("jwks_uri", externalAddress + JWKS_PATH);
        config.putArray("response_types_supported").add("id_token");
        config.putArray("subject_types_supported").add("public");
        config.putArray("id_token_signing_alg_values_supported").add("RS256");
        this.configuration = Json.bytes(config);

        RSAPublicKey key = tokens.publicKey();
        ObjectNode keys = Json.object();
        keys.putArray("keys").addObject()
                .put("use", "sig")
                .put("kty", "RSA")
                .put("kid", Jwt.keyId(key))
                .put("alg", "RS256")
                .put("n", unsigned(key.getModulus()))
                .put("e", unsigned(key.getPublicExponent()));
        this.keySet = Json.bytes(keys);
    }

    /** Whether {@code path} (without a trailing slash) is one of the two documents. */
    public static boolean serves(String path) {
        return CONFIGURATION_PATH.equals(path) || JWKS_PATH.equals(path);
    }

    public byte[] configuration() {
        return configuration.clone();
    }

    public byte[] keySet() {
        return keySet.clone();
    }

    /** JWK integers are big-endian base64url without the sign byte BigInteger adds. */
    private static String unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) b = Arrays.copyOfRange(b, 1, b.length);
        return B64.encodeToString(b);
    }
}
