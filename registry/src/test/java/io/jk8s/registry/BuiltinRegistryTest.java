package io.jk8s.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jk8s.api.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.jk8s.registry.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

class BuiltinRegistryTest {

    private static final BuiltinRegistry REGISTRY = BuiltinRegistry.create();

    static Stream<KindStrategy> strategies() {
        return REGISTRY.all().stream();
    }

    @ParameterizedTest(name = "{1}.{0}")
    @CsvSource({
            "'', pods, Pod", "'', services, Service", "'', namespaces, Namespace", "'', configmaps, ConfigMap",
            "'', secrets, Secret", "'', nodes, Node", "'', endpoints, Endpoints", "'', serviceaccounts, ServiceAccount",
            "'', events, Event", "'', limitranges, LimitRange", "'', resourcequotas, ResourceQuota",
            "'', persistentvolumes, PersistentVolume", "'', persistentvolumeclaims, PersistentVolumeClaim",
            "'', replicationcontrollers, ReplicationController", "'', bindings, Binding", "'', componentstatuses, ComponentStatus",
            "apps, deployments, Deployment", "apps, replicasets, ReplicaSet", "apps, statefulsets, StatefulSet",
            "apps, daemonsets, DaemonSet", "apps, controllerrevisions, ControllerRevision", "batch, jobs, Job",
            "batch, cronjobs, CronJob", "coordination.k8s.io, leases, Lease", "discovery.k8s.io, endpointslices, EndpointSlice",
            "events.k8s.io, events, Event", "rbac.authorization.k8s.io, roles, Role",
            "rbac.authorization.k8s.io, rolebindings, RoleBinding", "rbac.authorization.k8s.io, clusterroles, ClusterRole",
            "rbac.authorization.k8s.io, clusterrolebindings, ClusterRoleBinding", "scheduling.k8s.io, priorityclasses, PriorityClass",
            "policy, poddisruptionbudgets, PodDisruptionBudget", "networking.k8s.io, ingresses, Ingress",
            "networking.k8s.io, networkpolicies, NetworkPolicy", "storage.k8s.io, storageclasses, StorageClass",
            "autoscaling, horizontalpodautoscalers, HorizontalPodAutoscaler",
            "certificates.k8s.io, certificatesigningrequests, CertificateSigningRequest",
            "authentication.k8s.io, tokenreviews, TokenReview", "authorization.k8s.io, selfsubjectaccessreviews, SelfSubjectAccessReview"})
    void servesEveryRequiredResource(String group, String plural, String kind) {
        String version = group.equals("autoscaling") ? "v2" : "v1";
        KindStrategy s = REGISTRY.byResource(group, version, plural).orElseThrow();
        assertThat(s.type().kind()).isEqualTo(kind);
        assertThat(REGISTRY.byKind(group, version, kind)).containsSame(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void modelClassMatchesKindAndApiVersion(KindStrategy s) {
        ResourceType t = s.type();
        assertThat(HasMetadata.getKind(t.model().asSubclass(HasMetadata.class))).isEqualTo(t.kind());
        assertThat(HasMetadata.getApiVersion(t.model().asSubclass(HasMetadata.class))).isEqualTo(t.apiVersion());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void rowHasOneCellPerColumnEvenForAnEmptyObject(KindStrategy s) {
        ObjectNode obj = json("{'metadata':{'name':'x','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'}}");
        List<Object> row = s.row(obj, Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(row).hasSameSizeAs(s.columns());
        assertThat(row).allSatisfy(c -> assertThat(c == null || c instanceof String || c instanceof Long || c instanceof Boolean).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void strategiesTolerateEmptyAndNullFields(KindStrategy s) {
        ObjectNode obj = json("{'metadata':{'name':'x','namespace':'default','labels':null},'spec':null,'status':null}");
        s.prepareForCreate(obj);
        s.applyDefaults(obj);
        s.validateCreate(obj);
        ObjectNode copy = obj.deepCopy();
        s.prepareForUpdate(copy, obj);
        s.applyDefaults(copy);
        s.validateUpdate(copy, obj);
        s.prepareForStatusUpdate(copy, obj);
        assertThat(s.selectableFields(obj)).containsKeys("metadata.name", "metadata.namespace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void firstColumnIsNameExceptForEvents(KindStrategy s) {
        String expected = s.type().kind().equals("Event") ? "Last Seen" : "Name";
        assertThat(s.columns().get(0).name()).isEqualTo(expected);
        assertThat(s.columns()).anySatisfy(c -> assertThat(c.name()).isEqualTo("Name"));
    }

    @Test
    void podsHaveUpstreamDiscoveryFacts() {
        ResourceType pods = REGISTRY.byResource("", "v1", "pods").orElseThrow().type();
        assertThat(pods.shortNames()).containsExactly("po");
        assertThat(pods.categories()).containsExactly("all");
        assertThat(pods.singular()).isEqualTo("pod");
        assertThat(pods.namespaced()).isTrue();
        assertThat(pods.verbs()).containsExactly("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
        assertThat(pods.subresources()).contains("status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy");
    }

    @ParameterizedTest(name = "{1}.{0}")
    @CsvSource({
            "'', services, svc", "'', namespaces, ns", "'', configmaps, cm", "'', nodes, no", "'', endpoints, ep",
            "'', serviceaccounts, sa", "'', persistentvolumes, pv", "'', persistentvolumeclaims, pvc", "'', events, ev",
            "'', replicationcontrollers, rc", "'', resourcequotas, quota", "'', limitranges, limits",
            "apps, deployments, deploy", "apps, replicasets, rs", "apps, statefulsets, sts", "apps, daemonsets, ds",
            "batch, cronjobs, cj", "scheduling.k8s.io, priorityclasses, pc", "policy, poddisruptionbudgets, pdb",
            "networking.k8s.io, ingresses, ing", "networking.k8s.io, networkpolicies, netpol", "storage.k8s.io, storageclasses, sc",
            "autoscaling, horizontalpodautoscalers, hpa", "certificates.k8s.io, certificatesigningrequests, csr"})
    void shortNamesAreUpstreams(String group, String plural, String shortName) {
        assertThat(TestJson.strategy(group, plural).type().shortNames()).containsExactly(shortName);
    }

    @Test
    void categoryAllHoldsExactlyWhatKubectlGetAllShows() {
        List<String> all = REGISTRY.all().stream().filter(s -> s.type().categories().contains("all"))
                .map(s -> s.type().groupResource()).sorted().toList();
        assertThat(all).containsExactly("cronjobs.batch", "daemonsets.apps", "deployments.apps",
                "horizontalpodautoscalers.autoscaling", "jobs.batch", "pods", "replicasets.apps", "replicationcontrollers",
                "services", "statefulsets.apps");
    }

    @Test
    void specialVerbsAndScopes() {
        assertThat(TestJson.strategy("", "bindings").type().verbs()).containsExactly("create");
        assertThat(TestJson.strategy("", "namespaces").type().verbs()).doesNotContain("deletecollection");
        assertThat(TestJson.strategy("", "namespaces").type().subresources()).containsExactlyInAnyOrder("status", "finalize");
        assertThat(TestJson.strategy("", "serviceaccounts").type().subresources()).containsExactly("token");
        assertThat(TestJson.strategy("apps", "deployments").type().subresources()).containsExactlyInAnyOrder("status", "scale");
        assertThat(TestJson.strategy("apps", "daemonsets").type().subresources()).containsExactly("status");
        assertThat(TestJson.strategy("certificates.k8s.io", "certificatesigningrequests").type().subresources())
                .containsExactlyInAnyOrder("status", "approval");
        assertThat(TestJson.strategy("authentication.k8s.io", "tokenreviews").type().verbs()).containsExactly("create");
        assertThat(TestJson.strategy("", "nodes").type().namespaced()).isFalse();
        assertThat(TestJson.strategy("rbac.authorization.k8s.io", "clusterroles").type().namespaced()).isFalse();
    }

    @Test
    void unknownResourcesAreEmpty() {
        assertThat(REGISTRY.byResource("apps", "v1", "widgets")).isEmpty();
        assertThat(REGISTRY.byKind("apps", "v1beta1", "Deployment")).isEmpty();
    }
}
