package io.jk8s.api.openapi;

import java.util.Set;

/**
 * Upstream's OpenAPI definition names for fabric8 model classes, e.g. {@code io.k8s.api.core.v1.Pod},
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}, {@code io.k8s.api.apps.v1.Deployment}.
 * fabric8 keeps core/v1 and meta/v1 in one package, so meta types are listed by name.
 */
final class DefinitionNames {

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

    private static final Set<String> META_V1 = Set.of("APIGroup", "APIGroupList", "APIResource", "APIResourceList",
            "APIVersions", "Condition", "CreateOptions", "DeleteOptions", "FieldSelectorRequirement", "FieldsV1",
            "GetOptions", "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta",
            "ListOptions", "ManagedFieldsEntry", "MicroTime", "ObjectMeta", "OwnerReference", "PartialObjectMetadata",
            "PartialObjectMetadataList", "Patch", "PatchOptions", "Preconditions", "ServerAddressByClientCIDR",
            "Status", "StatusCause", "StatusDetails", "Table", "TableColumnDefinition", "TableRow", "Time",
            "TypeMeta", "UpdateOptions", "WatchEvent", "RootPaths");

    /** fabric8 packages whose name lacks the version (or differs from the upstream group path). */
    private static final java.util.Map<String, String> PACKAGES = java.util.Map.of(
            "apps", "io.k8s.api.apps.v1",
            "rbac", "io.k8s.api.rbac.v1",
            "storage", "io.k8s.api.storage.v1",
            "authentication", "io.k8s.api.authentication.v1",
            "extensions", "io.k8s.api.extensions.v1beta1",
            "version", "io.k8s.apimachinery.pkg.version",
            "runtime", "io.k8s.apimachinery.pkg.runtime");

    private DefinitionNames() {
    }

    static String of(Class<?> c) {
        String pkg = c.getPackageName();
        String simple = c.getSimpleName();
        if (pkg.equals(FABRIC8)) {
            if (META_V1.contains(simple)) {
                return "io.k8s.apimachinery.pkg.apis.meta.v1." + simple;
            }
            if (simple.startsWith("APIService")) {
                return "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1." + simple;
            }
            if (simple.equals("IntOrString")) {
                return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
            }
            if (simple.equals("Quantity")) {
                return "io.k8s.apimachinery.pkg.api.resource.Quantity";
            }
            return "io.k8s.api.core.v1." + simple;
        }
        if (pkg.startsWith(FABRIC8 + ".")) {
            String rest = pkg.substring(FABRIC8.length() + 1);
            String mapped = PACKAGES.get(rest);
            if (mapped != null) {
                return mapped + "." + simple;
            }
            if (rest.startsWith("apiextensions.")) {
                return "io.k8s.apiextensions-apiserver.pkg.apis." + rest + "." + simple;
            }
            return "io.k8s.api." + rest + "." + simple;
        }
        return c.getName().replace('$', '.');
    }

    /** Name used for kinds without a model class (custom resources), as upstream: reversed group. */
    static String ofCustom(String group, String version, String kind) {
        String[] parts = group.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            b.append(parts[i]).append('.');
        }
        return b.append(version).append('.').append(kind).toString();
    }
}
