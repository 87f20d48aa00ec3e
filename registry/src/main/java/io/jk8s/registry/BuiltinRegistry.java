package io.jk8s.registry;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.apps.DaemonSetStrategy;
import io.jk8s.registry.apps.DeploymentStrategy;
import io.jk8s.registry.apps.ReplicaSetStrategy;
import io.jk8s.registry.apps.StatefulSetStrategy;
import io.jk8s.registry.batch.CronJobStrategy;
import io.jk8s.registry.batch.JobStrategy;
import io.jk8s.registry.core.ConfigMapStrategy;
import io.jk8s.registry.core.CoreMiscStrategies;
import io.jk8s.registry.core.EventStrategy;
import io.jk8s.registry.core.NamespaceStrategy;
import io.jk8s.registry.core.NodeStrategy;
import io.jk8s.registry.core.PodStrategy;
import io.jk8s.registry.core.SecretStrategy;
import io.jk8s.registry.core.ServiceStrategy;
import io.jk8s.registry.groups.AutoscalingStrategies;
import io.jk8s.registry.groups.CertificatesStrategies;
import io.jk8s.registry.groups.NetworkingStrategies;
import io.jk8s.registry.groups.OtherGroupStrategies;
import io.jk8s.registry.groups.RbacStrategies;
import io.jk8s.registry.support.Kinds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in resources jk8s serves, with the discovery facts of upstream Kubernetes v1.32
 * (plural, short names, categories, verbs, subresources) and one strategy each.
 * Immutable after {@link #create()}; safe to share.
 */
public final class BuiltinRegistry implements ResourceRegistry {

    private static final String CREATE = "create";

    private final List<KindStrategy> all;
    private final Map<String, KindStrategy> byResource = new HashMap<>();
    private final Map<String, KindStrategy> byKind = new HashMap<>();

    private BuiltinRegistry(List<KindStrategy> strategies) {
        this.all = List.copyOf(strategies);
        for (KindStrategy s : all) {
            ResourceType t = s.type();
            if (byResource.put(t.group() + "/" + t.version() + "/" + t.plural(), s) != null) {
                throw new IllegalStateException("duplicate resource " + t.groupResource());
            }
            byKind.put(t.group() + "/" + t.version() + "/" + t.kind(), s);
        }
    }

    public static BuiltinRegistry create() {
        List<KindStrategy> s = new ArrayList<>();
        addCore(s);
        addApps(s);
        addBatch(s);
        addOthers(s);
        return new BuiltinRegistry(s);
    }

    private static void addCore(List<KindStrategy> s) {
        s.add(CoreMiscStrategies.bindings(core("Binding", "bindings", Binding.class).verbs(CREATE).build()));
        s.add(CoreMiscStrategies.componentStatuses(core("ComponentStatus", "componentstatuses", ComponentStatus.class)
                .clusterScoped().shortNames("cs").verbs("get", "list").build()));
        s.add(new ConfigMapStrategy(core("ConfigMap", "configmaps", ConfigMap.class).shortNames("cm").build()));
        s.add(CoreMiscStrategies.endpoints(core("Endpoints", "endpoints", Endpoints.class).shortNames("ep").build()));
        s.add(new EventStrategy(core("Event", "events", io.fabric8.kubernetes.api.model.Event.class).shortNames("ev").build(), false));
        s.add(CoreMiscStrategies.limitRanges(core("LimitRange", "limitranges", LimitRange.class).shortNames("limits").build()));
        s.add(new NamespaceStrategy(core("Namespace", "namespaces", Namespace.class).clusterScoped().shortNames("ns")
                .verbs(Kinds.NO_DELETECOLLECTION).sub("status", "finalize").build()));
        s.add(new NodeStrategy(core("Node", "nodes", Node.class).clusterScoped().shortNames("no").sub("status", "proxy").build()));
        s.add(CoreMiscStrategies.persistentVolumeClaims(core("PersistentVolumeClaim", "persistentvolumeclaims", PersistentVolumeClaim.class)
                .shortNames("pvc").sub("status").build()));
        s.add(CoreMiscStrategies.persistentVolumes(core("PersistentVolume", "persistentvolumes", PersistentVolume.class)
                .clusterScoped().shortNames("pv").sub("status").build()));
        s.add(new PodStrategy(core("Pod", "pods", Pod.class).shortNames("po").inAll()
                .sub("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status").build()));
        s.add(CoreMiscStrategies.podTemplates(core("PodTemplate", "podtemplates", PodTemplate.class).build()));
        s.add(new ReplicaSetStrategy(core("ReplicationController", "replicationcontrollers", ReplicationController.class)
                .shortNames("rc").inAll().sub("scale", "status").build(), true));
        s.add(CoreMiscStrategies.resourceQuotas(core("ResourceQuota", "resourcequotas", ResourceQuota.class)
                .shortNames("quota").sub("status").build()));
        s.add(new SecretStrategy(core("Secret", "secrets", Secret.class).build()));
        s.add(CoreMiscStrategies.serviceAccounts(core("ServiceAccount", "serviceaccounts", ServiceAccount.class)
                .shortNames("sa").sub("token").build()));
        s.add(new ServiceStrategy(core("Service", "services", Service.class).shortNames("svc").inAll()
                .sub("proxy", "status").build()));
    }

    private static void addApps(List<KindStrategy> s) {
        s.add(OtherGroupStrategies.controllerRevision(apps("ControllerRevision", "controllerrevisions", ControllerRevision.class).build()));
        s.add(new DaemonSetStrategy(apps("DaemonSet", "daemonsets", DaemonSet.class).shortNames("ds").inAll().sub("status").build()));
        s.add(new DeploymentStrategy(apps("Deployment", "deployments", Deployment.class).shortNames("deploy").inAll()
                .sub("scale", "status").build()));
        s.add(new ReplicaSetStrategy(apps("ReplicaSet", "replicasets", ReplicaSet.class).shortNames("rs").inAll()
                .sub("scale", "status").build(), false));
        s.add(new StatefulSetStrategy(apps("StatefulSet", "statefulsets", StatefulSet.class).shortNames("sts").inAll()
                .sub("scale", "status").build()));
    }

    private static void addBatch(List<KindStrategy> s) {
        s.add(new CronJobStrategy(Kinds.of("batch", "v1", "CronJob", "cronjobs", CronJob.class).shortNames("cj").inAll()
                .sub("status").build()));
        s.add(new JobStrategy(Kinds.of("batch", "v1", "Job", "jobs", Job.class).inAll().sub("status").build()));
    }

    private static void addOthers(List<KindStrategy> s) {
        s.add(OtherGroupStrategies.lease(Kinds.of("coordination.k8s.io", "v1", "Lease", "leases", Lease.class).build()));
        s.add(OtherGroupStrategies.endpointSlice(Kinds.of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices",
                EndpointSlice.class).build()));
        s.add(new EventStrategy(Kinds.of("events.k8s.io", "v1", "Event", "events",
                io.fabric8.kubernetes.api.model.events.v1.Event.class).shortNames("ev").build(), true));
        String rbac = "rbac.authorization.k8s.io";
        s.add(RbacStrategies.role(Kinds.of(rbac, "v1", "ClusterRole", "clusterroles", ClusterRole.class).clusterScoped().build(), false));
        s.add(RbacStrategies.binding(Kinds.of(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", ClusterRoleBinding.class)
                .clusterScoped().build(), false));
        s.add(RbacStrategies.role(Kinds.of(rbac, "v1", "Role", "roles", Role.class).build(), true));
        s.add(RbacStrategies.binding(Kinds.of(rbac, "v1", "RoleBinding", "rolebindings", RoleBinding.class).build(), true));
        s.add(OtherGroupStrategies.priorityClass(Kinds.of("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses",
                PriorityClass.class).clusterScoped().shortNames("pc").build()));
        s.add(OtherGroupStrategies.podDisruptionBudget(Kinds.of("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
                PodDisruptionBudget.class).shortNames("pdb").sub("status").build()));
        s.add(NetworkingStrategies.ingressClass(Kinds.of("networking.k8s.io", "v1", "IngressClass", "ingressclasses",
                IngressClass.class).clusterScoped().build()));
        s.add(NetworkingStrategies.ingress(Kinds.of("networking.k8s.io", "v1", "Ingress", "ingresses", Ingress.class)
                .shortNames("ing").sub("status").build()));
        s.add(NetworkingStrategies.networkPolicy(Kinds.of("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies",
                NetworkPolicy.class).shortNames("netpol").build()));
        s.add(OtherGroupStrategies.storageClass(Kinds.of("storage.k8s.io", "v1", "StorageClass", "storageclasses",
                StorageClass.class).clusterScoped().shortNames("sc").build()));
        s.add(AutoscalingStrategies.hpa(Kinds.of("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                HorizontalPodAutoscaler.class).shortNames("hpa").inAll().sub("status").build()));
        s.add(CertificatesStrategies.csr(Kinds.of("certificates.k8s.io", "v1", "CertificateSigningRequest",
                "certificatesigningrequests", CertificateSigningRequest.class).clusterScoped().shortNames("csr")
                .sub("approval", "status").build()));
        s.add(OtherGroupStrategies.review(Kinds.of("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview.class).clusterScoped().verbs(CREATE).build()));
        s.add(OtherGroupStrategies.review(Kinds.of("authentication.k8s.io", "v1", "TokenReview", "tokenreviews",
                TokenReview.class).clusterScoped().verbs(CREATE).build()));
        String authz = "authorization.k8s.io";
        s.add(OtherGroupStrategies.review(Kinds.of(authz, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews",
                LocalSubjectAccessReview.class).verbs(CREATE).build()));
        s.add(OtherGroupStrategies.review(Kinds.of(authz, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
                SelfSubjectAccessReview.class).clusterScoped().verbs(CREATE).build()));
        s.add(OtherGroupStrategies.review(Kinds.of(authz, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews",
                SelfSubjectRulesReview.class).clusterScoped().verbs(CREATE).build()));
        s.add(OtherGroupStrategies.review(Kinds.of(authz, "v1", "SubjectAccessReview", "subjectaccessreviews",
                SubjectAccessReview.class).clusterScoped().verbs(CREATE).build()));
    }

    private static Kinds core(String kind, String plural, Class<?> model) {
        return Kinds.of("", "v1", kind, plural, model);
    }

    private static Kinds apps(String kind, String plural, Class<?> model) {
        return Kinds.of("apps", "v1", kind, plural, model);
    }

    @Override
    public List<KindStrategy> all() {
        return all;
    }

    @Override
    public Optional<KindStrategy> byResource(String group, String version, String plural) {
        return Optional.ofNullable(byResource.get(group + "/" + version + "/" + plural));
    }

    @Override
    public Optional<KindStrategy> byKind(String group, String version, String kind) {
        return Optional.ofNullable(byKind.get(group + "/" + version + "/" + kind));
    }
}
