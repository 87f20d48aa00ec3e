package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.http.ApiRequest;
import io.jk8s.apiserver.storage.ObjectCodec;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bootstrap tokens (upstream's {@code --enable-bootstrap-token-auth}): {@code Authorization: Bearer
 * <id>.<secret>} checked against the Secret {@code kube-system/bootstrap-token-<id>} of type
 * {@code bootstrap.kubernetes.io/token}. A valid token is user {@code system:bootstrap:<id>} in
 * {@code system:bootstrappers} plus the Secret's {@code auth-extra-groups}.
 *
 * <p>Bearer tokens of another shape are not ours: NotApplicable, so the next authenticator (e.g.
 * service-account tokens) gets them. A token of our shape that does not match a usable Secret is
 * rejected (401). Reads the store directly: joins are rare, and the Secret must be current (a
 * deleted token must stop working at once).
 */
public final class BootstrapTokenAuthenticator implements Authenticator {

    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String SECRET_PREFIX = "bootstrap-token-";
    public static final String BOOTSTRAPPERS = "system:bootstrappers";
    public static final String USER_PREFIX = "system:bootstrap:";
    /** {@code [a-z0-9]{6}.[a-z0-9]{16}}, as upstream's {@code BootstrapTokenPattern}. */
    public static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final Pattern EXTRA_GROUP = Pattern.compile("\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z");

    private final Store store;
    private final Clock clock;

    public BootstrapTokenAuthenticator(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public AuthResult authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return AuthResult.NOT_APPLICABLE;
        }
        var m = TOKEN.matcher(header.substring(7).trim());
        if (!m.matches()) {
            return AuthResult.NOT_APPLICABLE;
        }
        return check(m.group(1), m.group(2));
    }

    /** The outcome for token {@code id.secret}; public reasons stay vague, as upstream's. */
    AuthResult check(String id, String secret) {
        Optional<KeyValue> kv = store.get("/registry/secrets/kube-system/" + SECRET_PREFIX + id);
        if (kv.isEmpty()) {
            return new AuthResult.Rejected("no bootstrap token secret for id " + id);
        }
        JsonNode s = ObjectCodec.decode(kv.get());
        if (!SECRET_TYPE.equals(s.path("type").asText())) {
            return new AuthResult.Rejected("secret for token " + id + " has the wrong type");
        }
        if (s.path("metadata").hasNonNull("deletionTimestamp")) {
            return new AuthResult.Rejected("bootstrap token " + id + " is being deleted");
        }
        JsonNode data = s.path("data");
        if (!id.equals(value(data, "token-id"))) {
            return new AuthResult.Rejected("token-id of secret for " + id + " does not match");
        }
        String stored = value(data, "token-secret");
        if (stored == null || !MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            return new AuthResult.Rejected("wrong secret for bootstrap token " + id);
        }
        if (!"true".equals(value(data, "usage-bootstrap-authentication"))) {
            return new AuthResult.Rejected("bootstrap token " + id + " is not for authentication");
        }
        if (expired(value(data, "expiration"))) {
            return new AuthResult.Rejected("bootstrap token " + id + " has expired");
        }
        List<String> groups = new ArrayList<>();
        groups.add(BOOTSTRAPPERS);
        String extra = value(data, "auth-extra-groups");
        if (extra != null && !extra.isBlank()) {
            for (String g : extra.split(",")) {
                String group = g.trim();
                if (!EXTRA_GROUP.matcher(group).matches()) {
                    return new AuthResult.Rejected("bootstrap token " + id + " has an invalid extra group " + group);
                }
                if (!groups.contains(group)) groups.add(group);
            }
        }
        groups.add(UserInfo.AUTHENTICATED);
        return new AuthResult.Authenticated(new UserInfo(USER_PREFIX + id, groups));
    }

    /** Expired, or an unreadable expiration (fail closed, as upstream). No expiration = never expires. */
    private boolean expired(String expiration) {
        if (expiration == null || expiration.isEmpty()) return false;
        try {
            return !clock.instant().isBefore(OffsetDateTime.parse(expiration).toInstant());
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** A Secret value from {@code data} (base64); null when absent or not base64. */
    private static String value(JsonNode data, String key) {
        JsonNode v = data.get(key);
        if (v == null || !v.isTextual()) return null;
        try {
            return new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
