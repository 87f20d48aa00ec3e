package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.storage.ObjectCodec;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST .../serviceaccounts/NAME/token}: answers an authentication.k8s.io/v1 TokenRequest with a
 * signed token (never stored). {@code expirationSeconds} defaults to one hour and must be at least ten
 * minutes; no audiences means the API's own; {@code boundObjectRef} may name a Pod (which must run as this
 * ServiceAccount) or a Secret of the namespace, and its uid if given must match.
 *
 * <p>Node restriction (upstream's Node authorizer and NodeRestriction admission, which jk8s replaces by a
 * plain binding of {@code system:node}): a node may only ask for tokens bound to a pod scheduled on it.
 */
public final class TokenRequests {

    static final String GROUP = "authentication.k8s.io";
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    private static final String NODE_USER_PREFIX = "system:node:";
    private static final String NODES_GROUP = "system:nodes";

    private final ServiceAccountTokens config;
    private final TokenIssuer issuer;
    private final Store store;
    private final Clock clock;

    public TokenRequests(ServiceAccountTokens config, Store store, Clock clock) {
        this.config = config;
        this.issuer = new TokenIssuer(config);
        this.store = store;
        this.clock = clock;
    }

    /** The answered TokenRequest (status.token, status.expirationTimestamp), or a typed API error. */
    public ObjectNode create(UserInfo caller, String namespace, String serviceAccount, ObjectNode request) {
        checkKind(request);
        JsonNode meta = request.path("metadata");
        if (!meta.path("namespace").asText("").isEmpty() && !meta.path("namespace").asText().equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        ObjectNode spec = request.get("spec") instanceof ObjectNode s ? s : request.putObject("spec");
        long expiration = expirationSeconds(spec, serviceAccount);
        List<String> audiences = new ArrayList<>();
        for (JsonNode a : spec.path("audiences")) audiences.add(a.asText());
        if (audiences.isEmpty()) audiences.addAll(config.apiAudiences());

        ObjectNode sa = read("serviceaccounts", namespace, serviceAccount)
                .orElseThrow(() -> ApiException.notFound("", "serviceaccounts", serviceAccount));
        TokenIssuer.BoundObject bound = bound(spec.get("boundObjectRef"), namespace, serviceAccount);
        restrictNodes(caller, serviceAccount, bound, namespace);

        if (config.maxExpiration() != null) expiration = Math.min(expiration, config.maxExpiration().toSeconds());
        Instant now = clock.instant();
        String token = issuer.issue(namespace, serviceAccount, Json.text(Json.meta(sa), "uid"), bound, audiences, now, expiration);

        ObjectNode out = Json.object().put("kind", "TokenRequest").put("apiVersion", GROUP + "/v1");
        out.putObject("metadata").put("name", serviceAccount).put("namespace", namespace).put("creationTimestamp", Json.time(now));
        ObjectNode outSpec = out.putObject("spec");
        var aud = outSpec.putArray("audiences");
        audiences.forEach(aud::add);
        outSpec.put("expirationSeconds", expiration);
        if (spec.get("boundObjectRef") instanceof ObjectNode ref) {
            ObjectNode outRef = ref.deepCopy();
            if (bound != null) outRef.put("uid", bound.uid());
            outSpec.set("boundObjectRef", outRef);
        } else {
            outSpec.putNull("boundObjectRef");
        }
        out.putObject("status").put("token", token).put("expirationTimestamp", Json.time(now.plusSeconds(expiration)));
        return out;
    }

    private static void checkKind(ObjectNode request) {
        String kind = request.path("kind").asText("");
        String apiVersion = request.path("apiVersion").asText("");
        if ((!kind.isEmpty() && !kind.equals("TokenRequest")) || (!apiVersion.isEmpty() && !apiVersion.equals(GROUP + "/v1"))) {
            throw ApiException.badRequest("expected an authentication.k8s.io/v1 TokenRequest, got " + apiVersion + " " + kind);
        }
    }

    private static long expirationSeconds(ObjectNode spec, String name) {
        JsonNode e = spec.get("expirationSeconds");
        if (e == null || e.isNull()) return DEFAULT_EXPIRATION_SECONDS;
        if (!e.canConvertToLong()) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", e.asText(), "must be an integer"));
        }
        long seconds = e.asLong();
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds"));
        }
        return seconds;
    }

    private TokenIssuer.BoundObject bound(JsonNode ref, String namespace, String serviceAccount) {
        if (ref == null || ref.isNull()) return null;
        String kind = ref.path("kind").asText("");
        String apiVersion = ref.path("apiVersion").asText("v1");
        String name = ref.path("name").asText("");
        if (!kind.equals("Pod") && !kind.equals("Secret")) {
            throw invalid(serviceAccount, FieldError.notSupported("spec.boundObjectRef.kind", kind, List.of("Pod", "Secret")));
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals("v1")) {
            throw invalid(serviceAccount, FieldError.notSupported("spec.boundObjectRef.apiVersion", apiVersion, List.of("v1")));
        }
        if (name.isEmpty()) {
            throw invalid(serviceAccount, FieldError.required("spec.boundObjectRef.name", "must name the object the token is bound to"));
        }
        String resource = kind.equals("Pod") ? "pods" : "secrets";
        ObjectNode obj = read(resource, namespace, name).orElseThrow(() -> ApiException.notFound("", resource, name));
        if (kind.equals("Pod") && !serviceAccount.equals(obj.path("spec").path("serviceAccountName").asText(""))) {
            throw ApiException.badRequest("cannot bind token for serviceaccount \"" + serviceAccount
                    + "\" to pod running with different serviceaccount name.");
        }
        String uid = Json.text(Json.meta(obj), "uid");
        String wanted = ref.path("uid").asText("");
        if (!wanted.isEmpty() && !wanted.equals(uid)) {
            throw ApiException.conflict("", kind, name, "the UID in the bound object reference (" + wanted
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        return new TokenIssuer.BoundObject(kind, name, uid);
    }

    private void restrictNodes(UserInfo caller, String serviceAccount, TokenIssuer.BoundObject bound, String namespace) {
        if (!caller.groups().contains(NODES_GROUP) || !caller.name().startsWith(NODE_USER_PREFIX)) return;
        String node = caller.name().substring(NODE_USER_PREFIX.length());
        String forbidden = "serviceaccounts \"" + serviceAccount + "\" is forbidden: ";
        if (bound == null || !bound.kind().equals("Pod")) {
            throw ApiException.forbidden(forbidden + "node requested token not bound to a pod");
        }
        String podNode = read("pods", namespace, bound.name()).map(p -> p.path("spec").path("nodeName").asText("")).orElse("");
        if (!podNode.equals(node)) {
            throw ApiException.forbidden(forbidden + "node requested token bound to a pod scheduled on a different node");
        }
    }

    private Optional<ObjectNode> read(String resource, String namespace, String name) {
        Optional<KeyValue> kv = store.get("/registry/" + resource + "/" + namespace + "/" + name);
        return kv.map(ObjectCodec::decode);
    }

    private static ApiException invalid(String name, FieldError error) {
        return ApiException.invalid(GROUP, "TokenRequest", name, List.of(error));
    }
}
