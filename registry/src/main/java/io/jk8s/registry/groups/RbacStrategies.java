package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.GoValue;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.util.ArrayList;
import java.util.List;

/** rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings. */
public final class RbacStrategies {

    static final String GROUP = "rbac.authorization.k8s.io";
    static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");

    private RbacStrategies() {
    }

    public static KindStrategy role(ResourceType type, boolean namespaced) {
        return SimpleStrategy.builder(type)
                .names(NameRules.PATH_SEGMENT_NAME)
                .validate((o, errs) -> validateRules(o.get("rules"), namespaced, errs))
                .rawTable(List.of(Columns.name(), Columns.createdAt()), (o, now) -> List.of(Rows.name(o), Rows.createdAt(o)))
                .build();
    }

    private static void validateRules(JsonNode rules, boolean namespaced, Errors errs) {
        List<ObjectNode> list = Json.objects(rules);
        for (int i = 0; i < list.size(); i++) {
            ObjectNode rule = list.get(i);
            String p = "rules[" + i + "]";
            if (Json.size(rule.get("verbs")) == 0) {
                errs.required(p + ".verbs", "verbs must contain at least one value");
            }
            boolean nonResource = Json.size(rule.get("nonResourceURLs")) > 0;
            if (nonResource) {
                if (namespaced) {
                    errs.invalid(p + ".nonResourceURLs", GoValue.strings(rule.get("nonResourceURLs")),
                            "namespaced rules cannot apply to non-resource URLs");
                }
                if (Json.size(rule.get("apiGroups")) > 0 || Json.size(rule.get("resources")) > 0 || Json.size(rule.get("resourceNames")) > 0) {
                    errs.invalid(p + ".nonResourceURLs", GoValue.strings(rule.get("nonResourceURLs")),
                            "rules cannot apply to both regular resources and non-resource URLs");
                }
                continue;
            }
            if (Json.size(rule.get("apiGroups")) == 0) {
                errs.required(p + ".apiGroups", "resource rules must supply at least one api group");
            }
            if (Json.size(rule.get("resources")) == 0) {
                errs.required(p + ".resources", "resource rules must supply at least one resource");
            }
        }
    }

    public static KindStrategy binding(ResourceType type, boolean namespaced) {
        List<String> roleKinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        return SimpleStrategy.builder(type)
                .names(NameRules.PATH_SEGMENT_NAME)
                .defaults(o -> {
                    ObjectNode roleRef = Json.obj(o, "roleRef");
                    Json.defaultStr(roleRef, "apiGroup", GROUP);
                    for (ObjectNode s : Json.objects(o.get("subjects"))) {
                        String kind = Json.text(s, "kind");
                        if (Json.text(s, "apiGroup").isEmpty() && (kind.equals("User") || kind.equals("Group"))) {
                            s.put("apiGroup", GROUP);
                        }
                    }
                })
                .validate((o, errs) -> {
                    JsonNode roleRef = o.path("roleRef");
                    errs.oneOf("roleRef.apiGroup", Json.text(roleRef, "apiGroup"), List.of(GROUP));
                    errs.oneOf("roleRef.kind", Json.text(roleRef, "kind"), roleKinds);
                    if (Json.text(roleRef, "name").isEmpty()) {
                        errs.required("roleRef.name");
                    } else {
                        errs.invalidEach("roleRef.name", Json.text(roleRef, "name"), NameRules.pathSegment(Json.text(roleRef, "name")));
                    }
                    validateSubjects(o.get("subjects"), namespaced, errs);
                })
                .onUpdate((o, old, errs) -> {
                    if (!Json.same(o.path("roleRef"), old.path("roleRef"))) {
                        errs.invalid("roleRef", new GoValue(o.path("roleRef").toString()), "cannot change roleRef");
                    }
                })
                .table(List.of(Columns.str("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
                                Columns.wide("Users", "Users in the roleBinding"),
                                Columns.wide("Groups", "Groups in the roleBinding"),
                                Columns.wide("ServiceAccounts", "ServiceAccounts in the roleBinding")),
                        (o, now) -> {
                            List<String> users = new ArrayList<>();
                            List<String> groups = new ArrayList<>();
                            List<String> sas = new ArrayList<>();
                            for (ObjectNode s : Json.objects(o.get("subjects"))) {
                                switch (Json.text(s, "kind")) {
                                    case "User" -> users.add(Json.text(s, "name"));
                                    case "Group" -> groups.add(Json.text(s, "name"));
                                    case "ServiceAccount" -> sas.add(Json.text(s, "namespace") + "/" + Json.text(s, "name"));
                                    default -> { }
                                }
                            }
                            return List.of(Json.text(o, "roleRef", "kind") + "/" + Json.text(o, "roleRef", "name"),
                                    String.join(", ", users), String.join(", ", groups), String.join(", ", sas));
                        })
                .build();
    }

    private static void validateSubjects(JsonNode subjects, boolean namespaced, Errors errs) {
        List<ObjectNode> list = Json.objects(subjects);
        for (int i = 0; i < list.size(); i++) {
            ObjectNode s = list.get(i);
            String p = "subjects[" + i + "]";
            if (Json.text(s, "name").isEmpty()) {
                errs.required(p + ".name");
            }
            String kind = Json.text(s, "kind");
            switch (kind) {
                case "ServiceAccount" -> {
                    if (!Json.text(s, "apiGroup").isEmpty()) {
                        errs.notSupported(p + ".apiGroup", Json.text(s, "apiGroup"), List.of(""));
                    }
                    if (!namespaced && Json.text(s, "namespace").isEmpty()) {
                        errs.required(p + ".namespace");
                    }
                }
                case "User", "Group" -> {
                    if (!GROUP.equals(Json.text(s, "apiGroup"))) {
                        errs.notSupported(p + ".apiGroup", Json.text(s, "apiGroup"), List.of(GROUP));
                    }
                }
                default -> errs.notSupported(p + ".kind", kind, SUBJECT_KINDS);
            }
        }
    }
}
