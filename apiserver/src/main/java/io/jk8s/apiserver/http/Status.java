package io.jk8s.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.apiserver.json.Json;

/** Builds {@code meta/v1 Status} documents: every error response and a few success ones. */
public final class Status {

    private Status() {}

    public static ObjectNode of(ApiException e) {
        ObjectNode s = base("Failure");
        s.put("message", e.getMessage());
        s.put("reason", e.reason());
        ObjectNode details = Json.object();
        if (e.name() != null) details.put("name", e.name());
        if (e.group() != null) details.put("group", e.group());
        if (e.kind() != null) details.put("kind", e.kind());
        if (!e.causes().isEmpty()) {
            ArrayNode causes = details.putArray("causes");
            for (FieldError fe : e.causes()) {
                ObjectNode c = causes.addObject();
                c.put("reason", fe.type().reason);
                c.put("message", fe.causeMessage());
                c.put("field", fe.field());
            }
        }
        if (e.retryAfterSeconds() != null) details.put("retryAfterSeconds", e.retryAfterSeconds());
        if (!details.isEmpty()) s.set("details", details);
        s.put("code", e.code());
        return s;
    }

    /** Success with details, as upstream answers a delete that removed the object at once. */
    public static ObjectNode success(String group, String kind, String name, String uid) {
        ObjectNode s = base("Success");
        ObjectNode details = s.putObject("details");
        details.put("name", name);
        if (group != null && !group.isEmpty()) details.put("group", group);
        details.put("kind", kind);
        if (uid != null) details.put("uid", uid);
        return s;
    }

    private static ObjectNode base(String status) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", status);
        return s;
    }
}
