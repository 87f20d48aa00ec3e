package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.auth.AuthResult;
import io.jk8s.apiserver.auth.Authenticator;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.http.ApiRequest;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.storage.ObjectCodec;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <jwt>} issued by this cluster's {@link TokenIssuer}: user
 * {@code system:serviceaccount:NS:NAME} in {@code system:serviceaccounts}, {@code system:serviceaccounts:NS}
 * and {@code system:authenticated}.
 *
 * <p>A JWT from another issuer (or a bearer token that is no JWT) is not ours: NotApplicable. One of ours
 * is rejected (401) unless its RS256 signature verifies with our key, it is within {@code nbf}..{@code exp}
 * (with jose's one-minute leeway, as upstream), one of its audiences is an API audience, and the
 * ServiceAccount and the bound Pod or Secret still exist with the uids in the token (deleted more than a
 * minute ago counts as gone, so a pod in graceful termination keeps its token). The objects are read from
 * the store, not the watch cache, so a deleted pod's token stops working at once.
 */
public final class ServiceAccountTokenAuthenticator implements Authenticator {

    public static final String USER_PREFIX = "system:serviceaccount:";
    public static final String ALL_GROUP = "system:serviceaccounts";
    static final String PRIVATE_CLAIM = "kubernetes.io";
    private static final long LEEWAY_SECONDS = 60;

    private final ServiceAccountTokens config;
    private final Store store;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(ServiceAccountTokens config, Store store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public AuthResult authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return AuthResult.NOT_APPLICABLE;
        }
        return check(header.substring(7).trim());
    }

    /** The outcome for one bearer token; reasons are for the log, the client only sees 401. */
    public AuthResult check(String token) {
        return check(token, config.apiAudiences());
    }

    /** As {@link #check(String)}, with the audiences the token must name one of (a TokenReview's). */
    public AuthResult check(String token, List<String> audiences) {
        if (!Jwt.looksLikeJwt(token) || !config.issuer().equals(unverifiedIssuer(token))) {
            return AuthResult.NOT_APPLICABLE;
        }
        Optional<ObjectNode> verified = Jwt.verify(token, config.publicKey());
        if (verified.isEmpty()) return new AuthResult.Rejected("service account token: invalid signature");
        ObjectNode claims = verified.get();
        long now = clock.instant().getEpochSecond();
        if (!claims.path("exp").canConvertToLong() || now > claims.path("exp").asLong() + LEEWAY_SECONDS) {
            return new AuthResult.Rejected("service account token has expired");
        }
        if (claims.has("nbf") && now + LEEWAY_SECONDS < claims.path("nbf").asLong()) {
            return new AuthResult.Rejected("service account token is not valid yet");
        }
        if (!audienceMatches(claims.get("aud"), audiences)) {
            return new AuthResult.Rejected("service account token: audience is not one of " + audiences);
        }
        JsonNode k8s = claims.path(PRIVATE_CLAIM);
        String namespace = k8s.path("namespace").asText("");
        String saName = k8s.path("serviceaccount").path("name").asText("");
        if (namespace.isEmpty() || saName.isEmpty()
                || !claims.path("sub").asText().equals(USER_PREFIX + namespace + ":" + saName)) {
            return new AuthResult.Rejected("service account token: malformed kubernetes.io claim");
        }
        Instant deletedBefore = Instant.ofEpochSecond(now - LEEWAY_SECONDS);
        String problem = stillThere("serviceaccounts", namespace, k8s.path("serviceaccount"), deletedBefore);
        if (problem == null && k8s.has("pod")) problem = stillThere("pods", namespace, k8s.path("pod"), deletedBefore);
        if (problem == null && k8s.has("secret")) problem = stillThere("secrets", namespace, k8s.path("secret"), deletedBefore);
        if (problem != null) return new AuthResult.Rejected("service account token: " + problem);
        return new AuthResult.Authenticated(new UserInfo(USER_PREFIX + namespace + ":" + saName,
                List.of(ALL_GROUP, ALL_GROUP + ":" + namespace, UserInfo.AUTHENTICATED)));
    }

    private static boolean audienceMatches(JsonNode aud, List<String> wanted) {
        if (aud == null) return false;
        if (aud.isTextual()) return wanted.contains(aud.asText()); // RFC 7519 allows a single string
        for (JsonNode a : aud) {
            if (wanted.contains(a.asText())) return true;
        }
        return false;
    }

    /** The token's audiences that are among {@code wanted} (a TokenReview's status.audiences). */
    static List<String> matchingAudiences(String token, List<String> wanted) {
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        JsonNode aud = Json.parse(Base64.getUrlDecoder().decode(token.substring(first + 1, last)), false, false).path("aud");
        List<String> out = new java.util.ArrayList<>();
        if (aud.isTextual() && wanted.contains(aud.asText())) out.add(aud.asText());
        for (JsonNode a : aud) if (wanted.contains(a.asText()) && !out.contains(a.asText())) out.add(a.asText());
        return out;
    }

    /** Null when the object named by {@code ref} exists with the same uid; else why not. */
    private String stillThere(String resource, String namespace, JsonNode ref, Instant deletedBefore) {
        String name = ref.path("name").asText("");
        Optional<KeyValue> kv = store.get("/registry/" + resource + "/" + namespace + "/" + name);
        if (kv.isEmpty()) return resource + " " + namespace + "/" + name + " no longer exists";
        JsonNode meta = ObjectCodec.decode(kv.get()).path("metadata");
        if (!meta.path("uid").asText().equals(ref.path("uid").asText())) {
            return resource + " " + namespace + "/" + name + " was recreated (uid differs)";
        }
        String deletion = meta.path("deletionTimestamp").asText("");
        if (!deletion.isEmpty()) {
            try {
                if (Instant.parse(deletion).isBefore(deletedBefore)) return resource + " " + namespace + "/" + name + " was deleted";
            } catch (DateTimeParseException e) {
                return resource + " " + namespace + "/" + name + " has an unreadable deletionTimestamp";
            }
        }
        return null;
    }

    /** The {@code iss} of a token before its signature is checked: only to tell whether it is ours. */
    private static String unverifiedIssuer(String token) {
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        try {
            return Json.parse(Base64.getUrlDecoder().decode(token.substring(first + 1, last)), false, false).path("iss").asText("");
        } catch (RuntimeException e) {
            return "";
        }
    }
}
