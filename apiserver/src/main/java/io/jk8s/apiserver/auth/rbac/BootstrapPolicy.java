package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The default policy every cluster starts with: upstream's bootstrap ClusterRoles and
 * ClusterRoleBindings (facts from kube-apiserver's bootstrappolicy, v1.32) plus kubeadm's objects for
 * joining nodes. Deviation: upstream authorizes kubelets with the Node authorizer; here the group
 * {@code system:nodes} is bound to {@code system:node} (and to {@code system:node-proxier}, since a
 * joined machine's proxy uses the node's credentials).
 */
public final class BootstrapPolicy {

    public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    static final String GROUP = "rbac.authorization.k8s.io";
    static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
    static final String RW = "create delete deletecollection patch update";
    static final String READ = "get list watch";

    private BootstrapPolicy() {
    }

    /** One object of the policy with the path it is stored under. */
    public record Item(String resource, String namespace, ObjectNode object) {
        public String name() {
            return object.path("metadata").path("name").asText();
        }
    }

    public static List<Item> items() {
        List<Item> out = new ArrayList<>();
        for (ObjectNode o : clusterRoles()) out.add(new Item("clusterroles", null, o));
        for (ObjectNode o : clusterRoleBindings()) out.add(new Item("clusterrolebindings", null, o));
        out.add(new Item("roles", "kube-public", role("kube-public", "kubeadm:bootstrap-signer-clusterinfo",
                rule("get", "core", "configmaps").names("cluster-info"))));
        out.add(new Item("rolebindings", "kube-public", binding("RoleBinding", "kube-public", "kubeadm:bootstrap-signer-clusterinfo",
                "Role", "kubeadm:bootstrap-signer-clusterinfo", subject("User", "system:anonymous"))));
        return out;
    }

    static List<ObjectNode> clusterRoles() {
        List<ObjectNode> r = new ArrayList<>();
        r.add(clusterRole("cluster-admin", rule("*", "*", "*"), nonResource("*", "*")));
        r.add(aggregated("admin", "admin"));
        r.add(labelled(aggregated("edit", "edit"), "admin"));
        r.add(labelled(aggregated("view", "view"), "edit"));
        r.add(labelled(clusterRole("system:aggregate-to-admin",
                rule("create", "authorization.k8s.io", "localsubjectaccessreviews"),
                rule(RW + " " + READ, GROUP, "rolebindings roles")), "admin"));
        r.add(labelled(clusterRole("system:aggregate-to-edit",
                rule(READ, "core", "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy"),
                rule("impersonate", "core", "serviceaccounts"),
                rule(RW, "core", "pods pods/attach pods/exec pods/portforward pods/proxy"),
                rule("create", "core", "pods/eviction"),
                rule(RW, "core", "configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale"
                        + " secrets serviceaccounts services services/proxy"),
                rule("create", "core", "serviceaccounts/token"),
                rule(RW, "apps", "daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale"
                        + " statefulsets statefulsets/scale"),
                rule(RW, "autoscaling", "horizontalpodautoscalers"),
                rule(RW, "batch", "cronjobs jobs"),
                rule(RW, "extensions", "daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies"
                        + " replicasets replicasets/scale replicationcontrollers/scale"),
                rule(RW, "policy", "poddisruptionbudgets"),
                rule(RW, "networking.k8s.io", "ingresses networkpolicies"),
                rule(RW + " " + READ, "coordination.k8s.io", "leases")), "edit"));
        r.add(labelled(clusterRole("system:aggregate-to-view",
                rule(READ, "core", "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods"
                        + " replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status"),
                rule(READ, "core", "bindings events limitranges namespaces/status pods/log pods/status"
                        + " replicationcontrollers/status resourcequotas resourcequotas/status"),
                rule(READ, "core", "namespaces"),
                rule(READ, "discovery.k8s.io", "endpointslices"),
                rule(READ, "apps", "controllerrevisions daemonsets daemonsets/status deployments deployments/scale"
                        + " deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale"
                        + " statefulsets/status"),
                rule(READ, "autoscaling", "horizontalpodautoscalers horizontalpodautoscalers/status"),
                rule(READ, "batch", "cronjobs cronjobs/status jobs jobs/status"),
                rule(READ, "extensions", "daemonsets daemonsets/status deployments deployments/scale deployments/status"
                        + " ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status"
                        + " replicationcontrollers/scale"),
                rule(READ, "policy", "poddisruptionbudgets poddisruptionbudgets/status"),
                rule(READ, "networking.k8s.io", "ingresses ingresses/status networkpolicies")), "view"));
        r.add(clusterRole("system:discovery", nonResource("get",
                "/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/")));
        r.add(clusterRole("system:basic-user",
                rule("create", "authorization.k8s.io", "selfsubjectaccessreviews selfsubjectrulesreviews"),
                rule("create", "authentication.k8s.io", "selfsubjectreviews")));
        r.add(clusterRole("system:public-info-viewer", nonResource("get", "/healthz /livez /readyz /version /version/")));
        r.add(clusterRole("system:service-account-issuer-discovery", nonResource("get",
                "/.well-known/openid-configuration /.well-known/openid-configuration/ /openid/v1/jwks /openid/v1/jwks/")));
        r.add(clusterRole("system:monitoring", nonResource("get",
                "/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*")));
        r.add(clusterRole("system:auth-delegator",
                rule("create", "authentication.k8s.io", "tokenreviews"),
                rule("create", "authorization.k8s.io", "subjectaccessreviews")));
        r.add(clusterRole("system:node-bootstrapper", rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests")));
        r.add(clusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                rule("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient")));
        r.add(clusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                rule("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient")));
        r.add(clusterRole("system:node",
                rule("create", "authentication.k8s.io", "tokenreviews"),
                rule("create", "authorization.k8s.io", "localsubjectaccessreviews subjectaccessreviews"),
                rule(READ, "core", "services"),
                rule("create get list watch", "core", "nodes"),
                rule("patch update", "core", "nodes/status"),
                rule("patch update", "core", "nodes"),
                rule("create patch update", "core", "events"),
                rule(READ, "core", "pods"),
                rule("create delete", "core", "pods"),
                rule("patch update", "core", "pods/status"),
                rule("create", "core", "pods/eviction"),
                rule(READ, "core", "configmaps secrets"),
                rule("get", "core", "persistentvolumeclaims persistentvolumes"),
                rule("get", "core", "endpoints"),
                rule("create get list watch", "certificates.k8s.io", "certificatesigningrequests"),
                rule("create delete get patch update", "coordination.k8s.io", "leases"),
                rule("get", "storage.k8s.io", "volumeattachments"),
                rule("create", "core", "serviceaccounts/token"),
                rule("get patch update", "core", "persistentvolumeclaims/status"),
                rule(READ, "storage.k8s.io", "csidrivers"),
                rule("create delete get patch update", "storage.k8s.io", "csinodes"),
                rule(READ, "node.k8s.io", "runtimeclasses")));
        r.add(clusterRole("system:node-proxier",
                rule("list watch", "core", "endpoints services"),
                rule(READ, "core", "nodes"),
                rule("create patch update", "core events.k8s.io", "events"),
                rule("list watch", "discovery.k8s.io", "endpointslices")));
        r.add(clusterRole("system:kube-dns", rule("list watch", "core", "endpoints services")));
        r.add(clusterRole("system:kube-scheduler",
                rule("create patch update", "core events.k8s.io", "events"),
                rule("create", "coordination.k8s.io", "leases"),
                rule("get update", "coordination.k8s.io", "leases").names("kube-scheduler"),
                rule(READ, "core", "nodes"),
                rule("delete " + READ, "core", "pods"),
                rule("create", "core", "bindings pods/binding"),
                rule("patch update", "core", "pods/status"),
                rule(READ, "core", "replicationcontrollers services"),
                rule(READ, "apps extensions", "replicasets"),
                rule(READ, "apps", "statefulsets"),
                rule(READ, "policy", "poddisruptionbudgets"),
                rule(READ, "core", "persistentvolumeclaims persistentvolumes"),
                rule("create", "authentication.k8s.io", "tokenreviews"),
                rule("create", "authorization.k8s.io", "subjectaccessreviews"),
                rule(READ, "storage.k8s.io", "csinodes"),
                rule(READ, "core", "namespaces"),
                rule(READ, "storage.k8s.io", "csidrivers"),
                rule(READ, "storage.k8s.io", "csistoragecapacities")));
        r.add(clusterRole("system:volume-scheduler",
                rule(READ + " patch update", "core", "persistentvolumes"),
                rule(READ, "storage.k8s.io", "storageclasses"),
                rule(READ + " patch update", "core", "persistentvolumeclaims")));
        r.add(clusterRole("system:kube-controller-manager",
                rule("create patch update", "core events.k8s.io", "events"),
                rule("create", "coordination.k8s.io", "leases"),
                rule("get update", "coordination.k8s.io", "leases").names("kube-controller-manager"),
                rule("create", "core", "secrets serviceaccounts"),
                rule("delete", "core", "secrets"),
                rule("get", "core", "configmaps namespaces secrets serviceaccounts"),
                rule("update", "core", "secrets serviceaccounts"),
                rule("create", "authentication.k8s.io", "tokenreviews"),
                rule("create", "authorization.k8s.io", "subjectaccessreviews"),
                rule("list watch", "*", "*"),
                rule("create", "core", "serviceaccounts/token")));
        return r;
    }

    static List<ObjectNode> clusterRoleBindings() {
        List<ObjectNode> b = new ArrayList<>();
        b.add(clusterBinding("cluster-admin", subject("Group", "system:masters")));
        b.add(clusterBinding("system:basic-user", subject("Group", "system:authenticated")));
        b.add(clusterBinding("system:discovery", subject("Group", "system:authenticated")));
        b.add(clusterBinding("system:public-info-viewer", subject("Group", "system:authenticated"),
                subject("Group", "system:unauthenticated")));
        b.add(clusterBinding("system:monitoring", subject("Group", "system:monitoring")));
        b.add(clusterBinding("system:service-account-issuer-discovery", subject("Group", "system:serviceaccounts")));
        b.add(clusterBinding("system:kube-controller-manager", subject("User", "system:kube-controller-manager")));
        b.add(clusterBinding("system:kube-scheduler", subject("User", "system:kube-scheduler")));
        b.add(clusterBinding("system:volume-scheduler", subject("User", "system:kube-scheduler")));
        b.add(clusterBinding("system:node-proxier", subject("User", "system:kube-proxy")));
        b.add(clusterBinding("system:kube-dns", subject("ServiceAccount", "kube-dns").put("namespace", "kube-system")));
        // Upstream leaves system:node unbound (the Node authorizer decides); jk8s binds the group.
        b.add(clusterBinding("system:node", subject("Group", "system:nodes")));
        b.add(binding("ClusterRoleBinding", null, "jk8s:node-proxier", "ClusterRole", "system:node-proxier",
                subject("Group", "system:nodes")));
        // kubeadm's bindings for joining: bootstrap tokens may create CSRs that get approved automatically.
        b.add(binding("ClusterRoleBinding", null, "kubeadm:kubelet-bootstrap", "ClusterRole", "system:node-bootstrapper",
                subject("Group", "system:bootstrappers")));
        b.add(binding("ClusterRoleBinding", null, "kubeadm:node-autoapprove-bootstrap", "ClusterRole",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient", subject("Group", "system:bootstrappers")));
        b.add(binding("ClusterRoleBinding", null, "kubeadm:node-autoapprove-certificate-rotation", "ClusterRole",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", subject("Group", "system:nodes")));
        return b;
    }

    // ------------------------------------------------------------------ small builders

    /** A rule under construction: {@code rule("get list", "core apps", "pods")}; "core" is the "" group. */
    static RuleSpec rule(String verbs, String groups, String resources) {
        return new RuleSpec(words(verbs), words(groups).stream().map(g -> g.equals("core") ? "" : g).toList(),
                words(resources), List.of(), List.of());
    }

    static RuleSpec nonResource(String verbs, String urls) {
        return new RuleSpec(words(verbs), List.of(), List.of(), List.of(), words(urls));
    }

    record RuleSpec(List<String> verbs, List<String> groups, List<String> resources, List<String> names, List<String> urls) {
        RuleSpec names(String... n) {
            return new RuleSpec(verbs, groups, resources, List.of(n), urls);
        }

        PolicyRule toRule() {
            return new PolicyRule(verbs, groups, resources, names, urls);
        }
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.trim().split("\\s+"));
    }

    private static ObjectNode object(String kind, String namespace, String name) {
        ObjectNode o = Json.object().put("apiVersion", GROUP + "/v1").put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        meta.putObject("annotations").put(AUTOUPDATE, "true");
        return o;
    }

    static ObjectNode clusterRole(String name, RuleSpec... rules) {
        ObjectNode o = object("ClusterRole", null, name);
        ArrayNode arr = o.putArray("rules");
        for (RuleSpec r : rules) arr.add(r.toRule().toJson());
        return o;
    }

    static ObjectNode role(String namespace, String name, RuleSpec... rules) {
        ObjectNode o = object("Role", namespace, name);
        ArrayNode arr = o.putArray("rules");
        for (RuleSpec r : rules) arr.add(r.toRule().toJson());
        return o;
    }

    private static ObjectNode aggregated(String name, String aggregateLabel) {
        ObjectNode o = object("ClusterRole", null, name);
        o.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                .putObject("matchLabels").put(AGGREGATE_TO + aggregateLabel, "true");
        return o;
    }

    private static ObjectNode labelled(ObjectNode role, String aggregateTo) {
        ((ObjectNode) role.path("metadata").path("labels")).put(AGGREGATE_TO + aggregateTo, "true");
        return role;
    }

    static ObjectNode subject(String kind, String name) {
        ObjectNode s = Json.object().put("kind", kind).put("name", name);
        if (!kind.equals("ServiceAccount")) s.put("apiGroup", GROUP);
        return s;
    }

    private static ObjectNode clusterBinding(String role, ObjectNode... subjects) {
        return binding("ClusterRoleBinding", null, role, "ClusterRole", role, subjects);
    }

    static ObjectNode binding(String kind, String namespace, String name, String roleKind, String roleName, ObjectNode... subjects) {
        ObjectNode o = object(kind, namespace, name);
        o.putObject("roleRef").put("apiGroup", GROUP).put("kind", roleKind).put("name", roleName);
        ArrayNode arr = o.putArray("subjects");
        for (ObjectNode s : subjects) arr.add(s);
        return o;
    }
}
