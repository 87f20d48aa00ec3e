package io.jk8s.api.kubectl;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.jk8s.api.ResourceType;
import java.util.List;
import java.util.Set;

/** A small set of served types, as the registry would declare them. */
public final class TestTypes {

    public static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
            "watch");

    public static final List<ResourceType> TYPES = List.of(
            new ResourceType("", "v1", "Pod", "pods", "pod", true, List.of("po"), List.of("all"), VERBS,
                    Set.of("status", "binding", "eviction", "log", "exec", "ephemeralcontainers"), Pod.class),
            new ResourceType("", "v1", "Service", "services", "service", true, List.of("svc"), List.of("all"), VERBS,
                    Set.of("status"), Service.class),
            new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), List.of(), VERBS,
                    Set.of(), ConfigMap.class),
            new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), List.of(),
                    List.of("create", "delete", "get", "list", "patch", "update", "watch"), Set.of("status"),
                    Namespace.class),
            new ResourceType("", "v1", "Node", "nodes", "node", false, List.of("no"), List.of(), VERBS,
                    Set.of("status"), Node.class),
            new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"),
                    List.of("all"), VERBS, Set.of("status", "scale"), Deployment.class),
            new ResourceType("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, List.of("sts"),
                    List.of("all"), VERBS, Set.of("status", "scale"), StatefulSet.class),
            new ResourceType("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, List.of("ds"),
                    List.of("all"), VERBS, Set.of("status"), DaemonSet.class),
            new ResourceType("batch", "v1", "Job", "jobs", "job", true, List.of(), List.of("all"), VERBS,
                    Set.of("status"), Job.class),
            new ResourceType("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, List.of(), List.of(),
                    VERBS, Set.of(), Role.class));

    private TestTypes() {
    }
}
