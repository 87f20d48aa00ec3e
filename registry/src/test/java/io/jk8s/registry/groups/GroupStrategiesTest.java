package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jk8s.registry.TestJson.fields;
import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class GroupStrategiesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
    private static final String RBAC = "rbac.authorization.k8s.io";

    static String meta(boolean namespaced) {
        return "'metadata':{'name':'x'" + (namespaced ? ",'namespace':'default'" : "") + ",'creationTimestamp':'2026-01-01T00:00:00Z'}";
    }

    @Test
    void rolesValidateRulesAndPrintCreationTime() {
        KindStrategy roles = TestJson.strategy(RBAC, "roles");
        ObjectNode role = json("{" + meta(true) + ",'rules':[{'apiGroups':[''],'resources':['pods'],'verbs':['get']}]}");
        assertThat(TestJson.create(roles, role)).isEmpty();
        assertThat(roles.row(role, NOW)).containsExactly("x", "2026-01-01T00:00:00Z");
        ObjectNode bad = json("{" + meta(true) + ",'rules':[{'resources':['pods']},{'nonResourceURLs':['/healthz'],'verbs':['get']}]}");
        assertThat(messages(TestJson.create(roles, bad))).containsExactly(
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
        KindStrategy clusterRoles = TestJson.strategy(RBAC, "clusterroles");
        ObjectNode nonResource = json("{" + meta(false) + ",'rules':[{'nonResourceURLs':['/healthz'],'verbs':['get']}]}");
        assertThat(TestJson.create(clusterRoles, nonResource)).isEmpty();
    }

    @Test
    void bindingsDefaultApiGroupsAndFreezeRoleRef() {
        KindStrategy bindings = TestJson.strategy(RBAC, "rolebindings");
        ObjectNode b = json("{" + meta(true) + ",'roleRef':{'kind':'ClusterRole','name':'view'},'subjects':[{'kind':'User','name':'alice'},"
                + "{'kind':'ServiceAccount','name':'default','namespace':'default'},{'kind':'Group','name':'devs'}]}");
        assertThat(TestJson.create(bindings, b)).isEmpty();
        assertThat(b.at("/roleRef/apiGroup").asText()).isEqualTo(RBAC);
        assertThat(b.at("/subjects/0/apiGroup").asText()).isEqualTo(RBAC);
        assertThat(b.at("/subjects/1/apiGroup").isMissingNode()).isTrue();
        assertThat(bindings.row(b, NOW)).containsExactly("x", "ClusterRole/view", "60m", "alice", "devs", "default/default");
        ObjectNode changed = b.deepCopy();
        ((ObjectNode) changed.get("roleRef")).put("name", "edit");
        assertThat(fields(TestJson.update(bindings, changed, b))).containsExactly("roleRef");

        KindStrategy clusterBindings = TestJson.strategy(RBAC, "clusterrolebindings");
        ObjectNode cb = json("{" + meta(false) + ",'roleRef':{'kind':'Role','name':'view'},'subjects':[{'kind':'ServiceAccount','name':'sa'},{'kind':'Robot','name':'r'}]}");
        assertThat(messages(TestJson.create(clusterBindings, cb))).containsExactly(
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"");
    }

    @Test
    void priorityClasses() {
        KindStrategy pcs = TestJson.strategy("scheduling.k8s.io", "priorityclasses");
        ObjectNode pc = json("{" + meta(false) + ",'value':1000,'globalDefault':false}");
        assertThat(TestJson.create(pcs, pc)).isEmpty();
        assertThat(pc.get("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
        assertThat(pcs.row(pc, NOW)).containsExactly("x", 1000L, false, "60m", "PreemptLowerPriority");
        ObjectNode raised = pc.deepCopy().put("value", 2000);
        assertThat(messages(TestJson.update(pcs, raised, pc))).containsExactly("value: Forbidden: may not be changed in an update.");
        ObjectNode huge = json("{" + meta(false) + ",'value':2000000000}");
        assertThat(fields(TestJson.create(pcs, huge))).containsExactly("value");
    }

    @Test
    void leasesAndEndpointSlices() {
        KindStrategy leases = TestJson.strategy("coordination.k8s.io", "leases");
        ObjectNode lease = json("{" + meta(true) + ",'spec':{'holderIdentity':'n1','leaseDurationSeconds':40}}");
        assertThat(TestJson.create(leases, lease)).isEmpty();
        assertThat(leases.row(lease, NOW)).containsExactly("x", "n1", "60m");
        ObjectNode zero = json("{" + meta(true) + ",'spec':{'leaseDurationSeconds':0}}");
        assertThat(messages(TestJson.create(leases, zero))).containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");

        KindStrategy slices = TestJson.strategy("discovery.k8s.io", "endpointslices");
        ObjectNode slice = json("{" + meta(true) + ",'addressType':'IPv4','ports':[{'port':80,'name':'http'}],"
                + "'endpoints':[{'addresses':['10.244.0.5']},{'addresses':['10.244.0.6']}]}");
        assertThat(TestJson.create(slices, slice)).isEmpty();
        assertThat(slice.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(slices.row(slice, NOW)).containsExactly("x", "IPv4", "80", "10.244.0.5,10.244.0.6", "60m");
        ObjectNode retyped = slice.deepCopy().put("addressType", "IPv6");
        assertThat(fields(TestJson.update(slices, retyped, slice))).containsExactly("addressType");
        assertThat(slices.row(json("{" + meta(true) + ",'addressType':'IPv4'}"), NOW)).containsExactly("x", "IPv4", "<unset>", "<unset>", "60m");
    }

    @Test
    void podDisruptionBudgets() {
        KindStrategy pdbs = TestJson.strategy("policy", "poddisruptionbudgets");
        ObjectNode pdb = json("{" + meta(true) + ",'spec':{'minAvailable':'50%','selector':{'matchLabels':{'app':'web'}}}}");
        assertThat(TestJson.create(pdbs, pdb)).isEmpty();
        assertThat(pdbs.row(pdb, NOW)).containsExactly("x", "50%", "N/A", 0L, "60m");
        ObjectNode both = json("{" + meta(true) + ",'spec':{'minAvailable':1,'maxUnavailable':1}}");
        assertThat(fields(TestJson.create(pdbs, both))).containsExactly("spec");
    }

    @Test
    void ingressesAndNetworkPolicies() {
        KindStrategy ingresses = TestJson.strategy("networking.k8s.io", "ingresses");
        ObjectNode ing = json("{" + meta(true) + ",'spec':{'ingressClassName':'nginx','tls':[{'hosts':['a.example.com']}],'rules':[{'host':'a.example.com',"
                + "'http':{'paths':[{'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}");
        assertThat(TestJson.create(ingresses, ing)).isEmpty();
        assertThat(ingresses.row(ing, NOW)).containsExactly("x", "nginx", "a.example.com", "", "80, 443", "60m");
        ObjectNode bad = json("{" + meta(true) + ",'spec':{'rules':[{'http':{'paths':[{'path':'x','backend':{'service':{'name':'web','port':{}}}}]}}]}}");
        assertThat(fields(TestJson.create(ingresses, bad))).containsExactly("spec.rules[0].http.paths[0].pathType",
                "spec.rules[0].http.paths[0].path", "spec.rules[0].http.paths[0].backend.service.port");

        KindStrategy policies = TestJson.strategy("networking.k8s.io", "networkpolicies");
        ObjectNode np = json("{" + meta(true) + ",'spec':{'podSelector':{'matchLabels':{'app':'db'}},'ingress':[{'ports':[{'port':5432}]}],'egress':[{}]}}");
        assertThat(TestJson.create(policies, np)).isEmpty();
        assertThat(np.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        assertThat(np.at("/spec/ingress/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(policies.row(np, NOW)).containsExactly("x", "app=db", "60m");
    }

    @Test
    void storageClasses() {
        KindStrategy classes = TestJson.strategy("storage.k8s.io", "storageclasses");
        ObjectNode sc = json("{'metadata':{'name':'local','creationTimestamp':'2026-01-01T00:00:00Z',"
                + "'annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path'}");
        assertThat(TestJson.create(classes, sc)).isEmpty();
        assertThat(classes.row(sc, NOW)).containsExactly("local (default)", "rancher.io/local-path", "Delete", "Immediate", false, "60m");
        ObjectNode changed = sc.deepCopy().put("provisioner", "other.io/x");
        assertThat(messages(TestJson.update(classes, changed, sc))).containsExactly("provisioner: Forbidden: updates to provisioner are forbidden.");
    }

    @Test
    void horizontalPodAutoscalers() {
        KindStrategy hpas = TestJson.strategy("autoscaling", "horizontalpodautoscalers");
        ObjectNode hpa = json("{" + meta(true) + ",'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'maxReplicas':5}}");
        assertThat(TestJson.create(hpas, hpa)).isEmpty();
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(1);
        assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(80);
        assertThat(hpa.at("/spec/behavior/scaleUp/policies").size()).isEqualTo(2);
        assertThat(hpa.at("/spec/behavior/scaleDown/selectPolicy").asText()).isEqualTo("Max");
        assertThat(hpas.row(hpa, NOW)).containsExactly("x", "Deployment/web", "cpu: <unknown>/80%", "1", 5L, 0L, "60m");
        hpa.putObject("status").put("currentReplicas", 2).putArray("currentMetrics").addObject().put("type", "Resource")
                .putObject("resource").put("name", "cpu").putObject("current").put("averageUtilization", 12);
        assertThat(hpas.row(hpa, NOW).get(2)).isEqualTo("cpu: 12%/80%");
        ObjectNode bad = json("{" + meta(true) + ",'spec':{'scaleTargetRef':{'kind':'Deployment'},'minReplicas':3,'maxReplicas':2}}");
        assertThat(messages(TestJson.create(hpas, bad))).containsExactly("spec.scaleTargetRef.name: Required value",
                "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`");
    }

    @Test
    void certificateSigningRequests() {
        KindStrategy csrs = TestJson.strategy("certificates.k8s.io", "certificatesigningrequests");
        ObjectNode csr = json("{" + meta(false) + ",'spec':{'request':'LS0t','signerName':'kubernetes.io/kube-apiserver-client',"
                + "'usages':['client auth'],'username':'alice','expirationSeconds':86400}}");
        assertThat(TestJson.create(csrs, csr)).isEmpty();
        assertThat(csrs.row(csr, NOW)).containsExactly("x", "60m", "kubernetes.io/kube-apiserver-client", "alice", "24h", "Pending");
        csr.putObject("status").put("certificate", "LS0t").putArray("conditions").addObject().put("type", "Approved").put("status", "True");
        assertThat(csrs.row(csr, NOW).get(5)).isEqualTo("Approved,Issued");
        assertThat(csrs.selectableFields(csr)).containsEntry("spec.signerName", "kubernetes.io/kube-apiserver-client");
        assertThat(fields(TestJson.create(csrs, json("{" + meta(false) + ",'spec':{}}"))))
                .containsExactly("spec.request", "spec.signerName", "spec.usages");
    }

    @Test
    void reviewsNeedNoName() {
        KindStrategy reviews = TestJson.strategy("authorization.k8s.io", "selfsubjectaccessreviews");
        assertThat(TestJson.create(reviews, json("{'spec':{'resourceAttributes':{'verb':'get','resource':'pods'}}}"))).isEmpty();
        KindStrategy tokens = TestJson.strategy("authentication.k8s.io", "tokenreviews");
        assertThat(messages(TestJson.create(tokens, json("{'spec':{}}")))).containsExactly("spec.token: Required value");
    }
}
