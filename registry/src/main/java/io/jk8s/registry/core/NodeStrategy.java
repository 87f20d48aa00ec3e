package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nodes: kubelets register with their status (kept on create), taints are validated, podCIDR and
 * providerID may only be set once. Table as kubectl shows it, with roles from the node-role labels.
 */
public final class NodeStrategy extends BaseStrategy {

    static final String ROLE_PREFIX = "node-role.kubernetes.io/";
    static final String ROLE_LABEL = "kubernetes.io/role";

    public NodeStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    /** Unlike most kinds, a Node keeps the status it is created with (kubelet registration). */
    @Override
    public void prepareForCreate(ObjectNode obj) {
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        if (obj.get("status") instanceof ObjectNode status && Json.has(status, "capacity") && Json.missing(status, "allocatable")) {
            status.set("allocatable", status.get("capacity").deepCopy());
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        List<ObjectNode> taints = Json.objects(Json.at(obj, "spec", "taints"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            ObjectNode t = taints.get(i);
            String p = "spec.taints[" + i + "]";
            String key = Json.text(t, "key");
            if (key.isEmpty()) {
                errs.required(p + ".key");
            } else {
                errs.invalidEach(p + ".key", key, NameRules.qualifiedName(key));
            }
            String value = Json.text(t, "value");
            if (!value.isEmpty()) {
                errs.invalidEach(p + ".value", value, NameRules.labelValue(value));
            }
            String effect = Json.text(t, "effect");
            if (effect.isEmpty()) {
                errs.required(p + ".effect");
            } else {
                errs.oneOf(p + ".effect", effect, PodSpecValidator.TAINT_EFFECTS);
            }
            if (!seen.add(key + ":" + effect)) {
                errs.duplicate(p, key + ":" + effect);
            }
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        if (!Json.strings(oldSpec.get("podCIDRs")).isEmpty()
                && !Json.strings(oldSpec.get("podCIDRs")).equals(Json.strings(spec.get("podCIDRs")))) {
            errs.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid");
        }
        if (!Json.text(oldSpec, "podCIDR").isEmpty() && !Json.text(oldSpec, "podCIDR").equals(Json.text(spec, "podCIDR"))) {
            errs.forbidden("spec.podCIDR", "node updates may not change podCIDR except from \"\" to valid");
        }
        if (!Json.text(oldSpec, "providerID").isEmpty() && !Json.text(oldSpec, "providerID").equals(Json.text(spec, "providerID"))) {
            errs.forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid");
        }
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        f.put("spec.unschedulable", String.valueOf(Json.bool(obj, "spec", "unschedulable")));
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(),
                Columns.str("Status", "The status of the node"),
                Columns.str("Roles", "The roles of the node"),
                Columns.age(),
                Columns.str("Version", "Kubelet Version reported by the node."),
                Columns.wide("Internal-IP", "List of addresses reachable to the node."),
                Columns.wide("External-IP", "List of addresses reachable to the node."),
                Columns.wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
                Columns.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
                Columns.wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."));
    }

    @Override
    public List<Object> row(ObjectNode node, Instant now) {
        JsonNode info = Json.at(node, "status", "nodeInfo");
        List<Object> row = new ArrayList<>();
        row.add(Rows.name(node));
        row.add(status(node));
        row.add(roles(node));
        row.add(Rows.age(node, now));
        row.add(Json.text(info, "kubeletVersion"));
        row.add(address(node, "InternalIP"));
        row.add(address(node, "ExternalIP"));
        row.add(orUnknown(Json.text(info, "osImage")));
        row.add(orUnknown(Json.text(info, "kernelVersion")));
        row.add(orUnknown(Json.text(info, "containerRuntimeVersion")));
        return row;
    }

    static String status(JsonNode node) {
        List<String> parts = new ArrayList<>();
        String ready = null;
        for (JsonNode c : Json.objects(Json.at(node, "status", "conditions"))) {
            if ("Ready".equals(Json.text(c, "type"))) {
                ready = "True".equals(Json.text(c, "status")) ? "Ready" : "NotReady";
            }
        }
        parts.add(ready == null ? "Unknown" : ready);
        if (Json.bool(node, "spec", "unschedulable")) {
            parts.add("SchedulingDisabled");
        }
        return String.join(",", parts);
    }

    static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        Json.stringMap(Json.at(node, "metadata", "labels")).forEach((k, v) -> {
            if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
                roles.add(k.substring(ROLE_PREFIX.length()));
            } else if (k.equals(ROLE_LABEL) && !v.isEmpty()) {
                roles.add(v);
            }
        });
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : Json.objects(Json.at(node, "status", "addresses"))) {
            if (type.equals(Json.text(a, "type"))) {
                return Json.text(a, "address");
            }
        }
        return "<none>";
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }
}
