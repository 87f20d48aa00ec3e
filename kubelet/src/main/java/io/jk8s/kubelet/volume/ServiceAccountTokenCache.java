package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens for pods' projected {@code serviceAccountToken} sources (upstream's kubelet token manager): one
 * TokenRequest bound to the pod per (pod, service account, audience, lifetime), reused until 80% of its
 * lifetime has passed or it is older than a day, then requested again — so a running pod always finds a
 * token with at least a fifth of its life left. Forgotten when the pod's volumes are torn down.
 */
final class ServiceAccountTokenCache {

    /** Upstream's default when a projection has no expirationSeconds. */
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Key(String podUid, String serviceAccount, String audience, long expirationSeconds) {}

    private record Issued(String token, Instant issuedAt, Instant expiresAt) {
        boolean dueForRefresh(Instant now) {
            Duration lifetime = Duration.between(issuedAt, expiresAt);
            Instant refreshAt = issuedAt.plus(lifetime.multipliedBy(8).dividedBy(10));
            return !now.isBefore(refreshAt) || !now.isBefore(issuedAt.plus(MAX_AGE));
        }
    }

    private final PodObjects objects;
    private final Clock clock;
    private final Map<Key, Issued> tokens = new ConcurrentHashMap<>();

    ServiceAccountTokenCache(PodObjects objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    /** A current token for the projection, requested when there is none or it is due for refresh. */
    String token(Pod pod, ServiceAccountTokenProjection projection) {
        String sa = Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "default");
        String audience = Objects.requireNonNullElse(projection.getAudience(), "");
        long seconds = projection.getExpirationSeconds() == null ? DEFAULT_EXPIRATION_SECONDS : projection.getExpirationSeconds();
        Key key = new Key(pod.getMetadata().getUid(), sa, audience, seconds);
        Instant now = clock.instant();
        Issued current = tokens.get(key);
        if (current != null && !current.dueForRefresh(now)) return current.token();
        TokenRequest answer = objects.requestToken(pod.getMetadata().getNamespace(), sa, new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(seconds)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build());
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
            throw new IllegalStateException("the API server answered the token request without a token");
        }
        Instant expires = Instant.parse(answer.getStatus().getExpirationTimestamp());
        tokens.put(key, new Issued(answer.getStatus().getToken(), now, expires));
        return answer.getStatus().getToken();
    }

    /** The pod is gone: drop its tokens. */
    void forget(String podUid) {
        tokens.keySet().removeIf(k -> k.podUid().equals(podUid));
    }
}
