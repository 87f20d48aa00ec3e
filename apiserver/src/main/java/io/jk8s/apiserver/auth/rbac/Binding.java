package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A RoleBinding (namespace set) or ClusterRoleBinding (namespace null), reduced to what
 * authorization needs.
 */
public record Binding(String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {

    public Binding {
        subjects = List.copyOf(subjects);
    }

    static Binding fromJson(JsonNode o) {
        JsonNode meta = o.path("metadata");
        String ns = meta.hasNonNull("namespace") ? meta.get("namespace").asText() : null;
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : o.path("subjects")) subjects.add(Subject.fromJson(s));
        return new Binding(ns, meta.path("name").asText(), o.path("roleRef").path("kind").asText(),
                o.path("roleRef").path("name").asText(), subjects);
    }

    /** The first subject that is this user (or one of its groups), null when none. */
    public Subject subjectFor(UserInfo user) {
        for (Subject s : subjects) {
            if (s.appliesTo(user, namespace == null ? "" : namespace)) return s;
        }
        return null;
    }

    /** Upstream's reason text: {@code RoleBinding "x" of ClusterRole "view" to User "bob"}. */
    public String describe(Subject who) {
        String kind = namespace == null ? "ClusterRoleBinding \"" + name + "\"" : "RoleBinding \"" + name + "/" + namespace + "\"";
        return kind + " of " + roleKind + " \"" + roleName + "\" to " + who.describe();
    }
}
