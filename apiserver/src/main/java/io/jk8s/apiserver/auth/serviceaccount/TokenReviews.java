package io.jk8s.apiserver.auth.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.AuthResult;
import io.jk8s.apiserver.auth.CreateResponder;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * authentication.k8s.io/v1 TokenReview for service-account tokens (webhook token authenticators of
 * other programs, e.g. a metrics proxy, ask the API server whether a token is good): answered, never
 * stored. No {@code spec.audiences} means the API's own; {@code status.audiences} are the ones the token
 * matched. Bootstrap and static tokens are not reviewed (jk8s has no other token authenticators).
 */
public final class TokenReviews implements CreateResponder {

    private final ServiceAccountTokens config;
    private final ServiceAccountTokenAuthenticator authenticator;

    public TokenReviews(ServiceAccountTokens config, ServiceAccountTokenAuthenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    @Override
    public Optional<ObjectNode> answer(UserInfo caller, ResourceType type, String namespace, ObjectNode body) {
        if (!type.group().equals("authentication.k8s.io") || !type.kind().equals("TokenReview")) return Optional.empty();
        JsonNode spec = body.path("spec");
        String token = spec.path("token").asText("");
        if (token.isEmpty()) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(FieldError.required("spec.token", "")));
        }
        List<String> audiences = new ArrayList<>();
        for (JsonNode a : spec.path("audiences")) audiences.add(a.asText());
        if (audiences.isEmpty()) audiences.addAll(config.apiAudiences());

        ObjectNode out = Json.object().put("kind", "TokenReview").put("apiVersion", type.apiVersion());
        out.putObject("metadata").putNull("creationTimestamp");
        out.set("spec", spec.deepCopy());
        ObjectNode status = out.putObject("status");
        AuthResult result = authenticator.check(token, audiences);
        if (result instanceof AuthResult.Authenticated ok) {
            status.put("authenticated", true);
            ObjectNode user = status.putObject("user").put("username", ok.user().name());
            var groups = user.putArray("groups");
            ok.user().groups().forEach(groups::add);
            var matched = status.putArray("audiences");
            ServiceAccountTokenAuthenticator.matchingAudiences(token, audiences).forEach(matched::add);
        } else {
            status.put("authenticated", false);
            status.put("user", (String) null);
            if (result instanceof AuthResult.Rejected rejected) status.put("error", "[invalid bearer token, " + rejected.reason() + "]");
            else status.put("error", "[invalid bearer token]");
        }
        return Optional.of(out);
    }
}
