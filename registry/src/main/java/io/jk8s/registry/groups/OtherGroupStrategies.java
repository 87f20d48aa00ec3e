package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.apps.WorkloadRules;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.GoValue;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.NameRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Leases, EndpointSlices, PriorityClasses, PodDisruptionBudgets, StorageClasses, ControllerRevisions
 * and the create-only review kinds: small rule sets with upstream's printers.
 */
public final class OtherGroupStrategies {

    static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    static final List<String> PREEMPTION = List.of("Never", "PreemptLowerPriority");
    static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;
    static final List<String> VOLUME_BINDING = List.of("Immediate", "WaitForFirstConsumer");
    static final List<String> SC_RECLAIM = List.of("Delete", "Retain");

    private OtherGroupStrategies() {
    }

    public static KindStrategy lease(ResourceType type) {
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> {
                    Long duration = Json.longOrNull(o, "spec", "leaseDurationSeconds");
                    if (duration != null && duration <= 0) {
                        errs.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
                    }
                    errs.nonNegative("spec.leaseTransitions", Json.longOrNull(o, "spec", "leaseTransitions"));
                })
                .table(List.of(Columns.str("Holder", "The holder of a lease")),
                        (o, now) -> List.of(Json.text(o, "spec", "holderIdentity")))
                .build();
    }

    public static KindStrategy endpointSlice(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> Json.objects(o.get("ports")).forEach(p -> Json.defaultStr(p, "protocol", "TCP")))
                .validate((o, errs) -> {
                    String addressType = Json.text(o, "addressType");
                    if (addressType.isEmpty()) {
                        errs.required("addressType");
                    } else {
                        errs.oneOf("addressType", addressType, ADDRESS_TYPES);
                    }
                    List<ObjectNode> endpoints = Json.objects(o.get("endpoints"));
                    for (int i = 0; i < endpoints.size(); i++) {
                        int n = Json.size(endpoints.get(i).get("addresses"));
                        if (n == 0) {
                            errs.required("endpoints[" + i + "].addresses", "must contain at least 1 address");
                        } else if (n > 100) {
                            errs.tooLong("endpoints[" + i + "].addresses", "must have at most 100 items");
                        }
                    }
                    List<ObjectNode> ports = Json.objects(o.get("ports"));
                    for (int i = 0; i < ports.size(); i++) {
                        Long port = Json.longOrNull(ports.get(i), "port");
                        if (port != null && (port < 1 || port > 65535)) {
                            errs.invalid("ports[" + i + "].port", port, "must be between 1 and 65535, inclusive");
                        }
                    }
                })
                .onUpdate((o, old, errs) -> errs.immutable("addressType", Json.text(o, "addressType"), Json.text(old, "addressType")))
                .table(List.of(Columns.str("AddressType", "Type of address carried by this EndpointSlice"),
                                Columns.str("Ports", "Ports of the EndpointSlice"),
                                Columns.str("Endpoints", "Endpoints of the EndpointSlice")),
                        (o, now) -> {
                            List<String> ports = new ArrayList<>();
                            for (ObjectNode p : Json.objects(o.get("ports"))) {
                                Long port = Json.longOrNull(p, "port");
                                ports.add(port != null ? String.valueOf(port) : "*");
                            }
                            List<String> addresses = new ArrayList<>();
                            for (ObjectNode e : Json.objects(o.get("endpoints"))) {
                                addresses.addAll(Json.strings(e.get("addresses")));
                            }
                            return List.of(Json.text(o, "addressType"), Rows.listWithMore(ports, 3, "<unset>"),
                                    Rows.listWithMore(addresses, 3, "<unset>"));
                        })
                .build();
    }

    public static KindStrategy priorityClass(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> Json.defaultStr(o, "preemptionPolicy", "PreemptLowerPriority"))
                .validate((o, errs) -> {
                    long value = Json.longOr(o, 0, "value");
                    boolean system = Json.text(o, "metadata", "name").startsWith("system-");
                    if (!system && value > HIGHEST_USER_PRIORITY) {
                        errs.forbidden("value", "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY);
                    }
                    errs.oneOf("preemptionPolicy", Json.str(o, "preemptionPolicy"), PREEMPTION);
                })
                .onUpdate((o, old, errs) -> {
                    if (Json.longOr(o, 0, "value") != Json.longOr(old, 0, "value")) {
                        errs.forbidden("value", "may not be changed in an update.");
                    }
                    if (!Json.text(o, "preemptionPolicy").equals(Json.text(old, "preemptionPolicy"))) {
                        errs.invalid("preemptionPolicy", Json.text(o, "preemptionPolicy"), "field is immutable");
                    }
                })
                .rawTable(List.of(Columns.name(),
                                Columns.integer("Value", "value represents the integer value of this priority class."),
                                Columns.bool("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
                                Columns.age(),
                                Columns.str("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority.")),
                        (o, now) -> List.of(Rows.name(o), Json.longOr(o, 0, "value"), Json.bool(o, "globalDefault"), Rows.age(o, now),
                                Json.str(o, "preemptionPolicy") == null ? "<none>" : Json.text(o, "preemptionPolicy")))
                .build();
    }

    public static KindStrategy podDisruptionBudget(ResourceType type) {
        return SimpleStrategy.builder(type)
                .tracksGeneration()
                .validate((o, errs) -> {
                    JsonNode spec = o.path("spec");
                    if (Json.has(spec, "minAvailable") && Json.has(spec, "maxUnavailable")) {
                        errs.invalid("spec", new GoValue(spec.toString()), "minAvailable and maxUnavailable cannot be both set");
                    }
                    WorkloadRules.validateIntOrPercent(spec.get("minAvailable"), "spec.minAvailable", true, errs);
                    WorkloadRules.validateIntOrPercent(spec.get("maxUnavailable"), "spec.maxUnavailable", true, errs);
                    if (Json.has(spec, "selector")) {
                        WorkloadRules.validateLabelSelector(spec.get("selector"), "spec.selector", errs);
                    }
                    String policy = Json.str(spec, "unhealthyPodEvictionPolicy");
                    if (policy != null) {
                        errs.oneOf("spec.unhealthyPodEvictionPolicy", policy, List.of("AlwaysAllow", "IfHealthyBudget"));
                    }
                })
                .table(List.of(Columns.str("Min Available", "The minimum number of pods that must be available."),
                                Columns.str("Max Unavailable", "The maximum number of pods that may be unavailable."),
                                Columns.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.")),
                        (o, now) -> List.of(intOrNa(o.path("spec").get("minAvailable")), intOrNa(o.path("spec").get("maxUnavailable")),
                                Json.longOr(o, 0, "status", "disruptionsAllowed")))
                .build();
    }

    private static String intOrNa(JsonNode v) {
        return Json.present(v) ? v.asText() : "N/A";
    }

    public static KindStrategy storageClass(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> {
                    Json.defaultStr(o, "reclaimPolicy", "Delete");
                    Json.defaultStr(o, "volumeBindingMode", "Immediate");
                })
                .validate((o, errs) -> {
                    String provisioner = Json.text(o, "provisioner");
                    if (provisioner.isEmpty()) {
                        errs.required("provisioner");
                    } else {
                        errs.invalidEach("provisioner", provisioner, NameRules.qualifiedName(provisioner.toLowerCase(Locale.ROOT)));
                    }
                    errs.oneOf("reclaimPolicy", Json.str(o, "reclaimPolicy"), SC_RECLAIM);
                    errs.oneOf("volumeBindingMode", Json.str(o, "volumeBindingMode"), VOLUME_BINDING);
                })
                .onUpdate((o, old, errs) -> {
                    if (!Json.stringMap(o.get("parameters")).equals(Json.stringMap(old.get("parameters")))) {
                        errs.forbidden("parameters", "updates to parameters are forbidden.");
                    }
                    if (!Json.text(o, "provisioner").equals(Json.text(old, "provisioner"))) {
                        errs.forbidden("provisioner", "updates to provisioner are forbidden.");
                    }
                    if (!Json.text(o, "reclaimPolicy").equals(Json.text(old, "reclaimPolicy"))) {
                        errs.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
                    }
                    if (!Json.text(o, "volumeBindingMode").equals(Json.text(old, "volumeBindingMode"))) {
                        errs.forbidden("volumeBindingMode", "field is immutable");
                    }
                })
                .rawTable(List.of(Columns.name(),
                                Columns.str("Provisioner", "Indicates the type of the provisioner."),
                                Columns.str("ReclaimPolicy", "Indicates the type of the reclaim policy."),
                                Columns.str("VolumeBindingMode", "Indicates how PersistentVolumeClaims should be provisioned and bound"),
                                Columns.bool("AllowVolumeExpansion", "Indicates whether the storage class allow volume expand"),
                                Columns.age()),
                        (o, now) -> {
                            Map<String, String> ann = Json.stringMap(Json.at(o, "metadata", "annotations"));
                            boolean isDefault = "true".equals(ann.get("storageclass.kubernetes.io/is-default-class"))
                                    || "true".equals(ann.get("storageclass.beta.kubernetes.io/is-default-class"));
                            return List.of(Rows.name(o) + (isDefault ? " (default)" : ""), Json.text(o, "provisioner"),
                                    Json.str(o, "reclaimPolicy") == null ? "Delete" : Json.text(o, "reclaimPolicy"),
                                    Json.str(o, "volumeBindingMode") == null ? "Immediate" : Json.text(o, "volumeBindingMode"),
                                    Json.bool(o, "allowVolumeExpansion"), Rows.age(o, now));
                        })
                .build();
    }

    public static KindStrategy controllerRevision(ResourceType type) {
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> errs.nonNegative("revision", Json.longOrNull(o, "revision")))
                .onUpdate((o, old, errs) -> {
                    if (!Json.same(o.get("data"), old.get("data"))) {
                        errs.invalid("data", new GoValue("runtime.RawExtension{...}"), "field is immutable");
                    }
                })
                .table(List.of(Columns.str("Controller", "Controller of the object"),
                                Columns.integer("Revision", "Revision indicates the revision of the state represented by Data.")),
                        (o, now) -> List.of(controllerOf(o), Json.longOr(o, 0, "revision")))
                .build();
    }

    /** "statefulset.apps/web" for the controlling owner, "&lt;none&gt;" without one. */
    static String controllerOf(JsonNode obj) {
        for (JsonNode ref : Json.objects(Json.at(obj, "metadata", "ownerReferences"))) {
            if (Json.bool(ref, "controller")) {
                String apiVersion = Json.text(ref, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = Json.text(ref, "kind").toLowerCase(Locale.ROOT);
                return (group.isEmpty() ? kind : kind + "." + group) + "/" + Json.text(ref, "name");
            }
        }
        return "<none>";
    }

    /** TokenReview, SubjectAccessReview and friends: create-only, never stored; the API server answers them. */
    public static KindStrategy review(ResourceType type) {
        return SimpleStrategy.builder(type)
                .anonymous()
                .validate((o, errs) -> {
                    if (type.kind().equals("TokenReview") && Json.text(o, "spec", "token").isEmpty()) {
                        errs.required("spec.token");
                    }
                })
                .build();
    }
}
