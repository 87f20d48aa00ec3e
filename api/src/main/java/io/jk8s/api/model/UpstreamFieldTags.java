package io.jk8s.api.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about built-in types that the Java models do not carry: upstream's {@code patchStrategy} and
 * {@code patchMergeKey} struct tags, and the properties upstream marks as required. Keyed by the simple
 * type name (e.g. {@code PodSpec}), which is the same in fabric8 and upstream.
 */
public final class UpstreamFieldTags {

    /** Strategy and merge key of one field. {@code mergeKey} is null for primitive lists and maps. */
    public record PatchTag(Set<String> strategies, String mergeKey) {
    }

    private static final Map<String, PatchTag> PATCH = new HashMap<>();
    private static final Map<String, List<String>> REQUIRED = new HashMap<>();

    private static void merge(String typeAndField, String mergeKey) {
        PATCH.put(typeAndField, new PatchTag(Set.of("merge"), mergeKey));
    }

    private static void mergeRetainKeys(String typeAndField, String mergeKey) {
        PATCH.put(typeAndField, new PatchTag(Set.of("merge", "retainKeys"), mergeKey));
    }

    static {
        // meta/v1
        merge("ObjectMeta.finalizers", null);
        merge("ObjectMeta.ownerReferences", "uid");
        // core/v1
        merge("PodSpec.containers", "name");
        merge("PodSpec.initContainers", "name");
        merge("PodSpec.ephemeralContainers", "name");
        merge("PodSpec.imagePullSecrets", "name");
        merge("PodSpec.hostAliases", "ip");
        merge("PodSpec.schedulingGates", "name");
        merge("PodSpec.topologySpreadConstraints", "topologyKey");
        mergeRetainKeys("PodSpec.volumes", "name");
        mergeRetainKeys("PodSpec.resourceClaims", "name");
        for (String c : List.of("Container", "EphemeralContainer")) {
            merge(c + ".env", "name");
            merge(c + ".ports", "containerPort");
            merge(c + ".volumeDevices", "devicePath");
            merge(c + ".volumeMounts", "mountPath");
        }
        merge("ContainerStatus.allocatedResourcesStatus", "name");
        merge("ContainerStatus.volumeMounts", "mountPath");
        merge("PodStatus.conditions", "type");
        merge("PodStatus.podIPs", "ip");
        merge("PodStatus.hostIPs", "ip");
        mergeRetainKeys("PodStatus.resourceClaimStatuses", "name");
        merge("NodeSpec.podCIDRs", null);
        merge("NodeStatus.addresses", "type");
        merge("ServiceSpec.ports", "port");
        merge("ServiceAccount.secrets", "name");
        merge("CSINodeSpec.drivers", "name");
        merge("ResourceClaimStatus.reservedFor", "uid");
        merge("MutatingWebhookConfiguration.webhooks", "name");
        merge("ValidatingWebhookConfiguration.webhooks", "name");
        merge("MutatingWebhook.matchConditions", "name");
        merge("ValidatingWebhook.matchConditions", "name");
        merge("ValidatingAdmissionPolicySpec.matchConditions", "name");
        merge("ValidatingAdmissionPolicySpec.variables", "name");
        merge("MutatingAdmissionPolicySpec.matchConditions", "name");
        merge("JSONSchemaProps.x-kubernetes-validations", "rule");
        for (String status : List.of("ComponentStatus", "NamespaceStatus", "NodeStatus", "PersistentVolumeClaimStatus",
                "PodStatus", "ReplicationControllerStatus", "ServiceStatus", "DaemonSetStatus", "DeploymentStatus",
                "ReplicaSetStatus", "StatefulSetStatus", "HorizontalPodAutoscalerStatus", "JobStatus",
                "FlowSchemaStatus", "PriorityLevelConfigurationStatus", "ServiceCIDRStatus",
                "PodDisruptionBudgetStatus", "APIServiceStatus", "PodCertificateRequestStatus",
                "StorageVersionMigrationStatus")) {
            merge(status + ".conditions", "type");
        }
        PATCH.put("DeploymentSpec.strategy", new PatchTag(Set.of("retainKeys"), null));
        PATCH.put("PodDisruptionBudgetSpec.selector", new PatchTag(Set.of("replace"), null));

        required("Container", "name");
        required("EphemeralContainer", "name");
        required("ContainerPort", "containerPort");
        required("EnvVar", "name");
        required("Volume", "name");
        required("VolumeMount", "name", "mountPath");
        required("VolumeDevice", "name", "devicePath");
        required("PodSpec", "containers");
        required("ServicePort", "port");
        required("KeyToPath", "key", "path");
        required("ConfigMapKeySelector", "key");
        required("SecretKeySelector", "key");
        required("ObjectFieldSelector", "fieldPath");
        required("ResourceFieldSelector", "resource");
        required("HTTPGetAction", "port");
        required("TCPSocketAction", "port");
        required("GRPCAction", "port");
        required("HTTPHeader", "name", "value");
        required("HostAlias", "ip");
        required("HostPathVolumeSource", "path");
        required("NFSVolumeSource", "server", "path");
        required("PersistentVolumeClaimVolumeSource", "claimName");
        required("NodeSelector", "nodeSelectorTerms");
        required("NodeSelectorRequirement", "key", "operator");
        required("PodAffinityTerm", "topologyKey");
        required("WeightedPodAffinityTerm", "weight", "podAffinityTerm");
        required("PreferredSchedulingTerm", "weight", "preference");
        required("TopologySpreadConstraint", "maxSkew", "topologyKey", "whenUnsatisfiable");
        required("Taint", "key", "effect");
        required("Sysctl", "name", "value");
        required("SleepAction", "seconds");
        required("PodReadinessGate", "conditionType");
        required("PodSchedulingGate", "name");
        required("PodCondition", "type", "status");
        required("NodeCondition", "type", "status");
        required("NodeAddress", "type", "address");
        required("NamespaceCondition", "type", "status");
        required("PersistentVolumeClaimCondition", "type", "status");
        required("ReplicationControllerCondition", "type", "status");
        required("ReplicationControllerStatus", "replicas");
        required("ContainerStatus", "name", "ready", "restartCount", "image", "imageID");
        required("ContainerStateTerminated", "exitCode");
        required("EndpointAddress", "ip");
        required("EndpointPort", "port");
        required("Binding", "target");
        required("LimitRangeItem", "type");
        required("LimitRangeSpec", "limits");
        required("TypedLocalObjectReference", "kind", "name");
        required("PodIP", "ip");
        required("HostIP", "ip");
        required("SeccompProfile", "type");
        required("AppArmorProfile", "type");
        required("DownwardAPIVolumeFile", "path");
        required("ServiceAccountTokenProjection", "path");
        required("LocalVolumeSource", "path");
        required("CSIVolumeSource", "driver");
        required("CSIPersistentVolumeSource", "driver", "volumeHandle");
        // meta/v1
        required("OwnerReference", "apiVersion", "kind", "name", "uid");
        required("LabelSelectorRequirement", "key", "operator");
        required("Condition", "type", "status", "lastTransitionTime", "reason", "message");
        // apps/v1
        required("DeploymentSpec", "selector", "template");
        required("StatefulSetSpec", "selector", "template");
        required("DaemonSetSpec", "selector", "template");
        required("ReplicaSetSpec", "selector");
        required("DeploymentCondition", "type", "status");
        required("ReplicaSetCondition", "type", "status");
        required("StatefulSetCondition", "type", "status");
        required("DaemonSetCondition", "type", "status");
        required("ReplicaSetStatus", "replicas");
        required("StatefulSetStatus", "replicas");
        required("DaemonSetStatus", "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                "numberReady");
        required("ControllerRevision", "revision");
        // batch/v1
        required("JobSpec", "template");
        required("CronJobSpec", "schedule", "jobTemplate");
        required("JobCondition", "type", "status");
        // rbac/v1
        required("PolicyRule", "verbs");
        required("RoleRef", "apiGroup", "kind", "name");
        required("Subject", "kind"); // rbac also requires name; flowcontrol's Subject shares the simple name
        required("RoleBinding", "roleRef");
        required("ClusterRoleBinding", "roleRef");
        // others
        required("PriorityClass", "value");
        required("StorageClass", "provisioner");
        required("RuntimeClass", "handler");
        required("IPBlock", "cidr");
        required("HTTPIngressPath", "pathType", "backend");
        required("HTTPIngressRuleValue", "paths");
        required("IngressServiceBackend", "name");
        required("EndpointSlice", "addressType", "endpoints");
        required("Endpoint", "addresses");
        required("HorizontalPodAutoscalerSpec", "scaleTargetRef", "maxReplicas");
        required("CrossVersionObjectReference", "kind", "name");
        required("CustomResourceDefinitionSpec", "group", "names", "scope", "versions");
        required("CustomResourceDefinitionNames", "plural", "kind");
        required("CustomResourceDefinitionVersion", "name", "served", "storage");
        required("CustomResourceDefinition", "spec");
    }

    private static void required(String type, String... fields) {
        REQUIRED.put(type, List.of(fields));
    }

    private UpstreamFieldTags() {
    }

    /** The patch tag of {@code type.field}, or null when the field has none. */
    public static PatchTag patchTag(String simpleTypeName, String field) {
        return PATCH.get(simpleTypeName + "." + field);
    }

    /** Upstream's required properties of a type (empty when none). */
    public static List<String> required(String simpleTypeName) {
        return REQUIRED.getOrDefault(simpleTypeName, List.of());
    }
}
