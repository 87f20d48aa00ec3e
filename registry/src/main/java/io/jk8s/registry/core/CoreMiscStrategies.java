package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Quantity;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The smaller core/v1 kinds, each a {@link SimpleStrategy} with upstream's printer and main rules. */
public final class CoreMiscStrategies {

    static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
    static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
    static final String PVC_IMMUTABLE = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

    private CoreMiscStrategies() {
    }

    public static KindStrategy endpoints(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> {
                    for (ObjectNode subset : Json.objects(o.get("subsets"))) {
                        Json.objects(subset.get("ports")).forEach(p -> Json.defaultStr(p, "protocol", "TCP"));
                    }
                })
                .validate(CoreMiscStrategies::validateEndpoints)
                .table(List.of(Columns.str("Endpoints", "The set of all endpoints is the union of all subsets.")),
                        (o, now) -> List.of(formatEndpoints(o)))
                .build();
    }

    private static void validateEndpoints(ObjectNode o, Errors errs) {
        List<ObjectNode> subsets = Json.objects(o.get("subsets"));
        for (int i = 0; i < subsets.size(); i++) {
            String p = "subsets[" + i + "]";
            List<ObjectNode> addresses = Json.objects(subsets.get(i).get("addresses"));
            for (int j = 0; j < addresses.size(); j++) {
                String ip = Json.text(addresses.get(j), "ip");
                if (!ServiceStrategy.isIp(ip)) {
                    errs.invalid(p + ".addresses[" + j + "].ip", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
                }
            }
            List<ObjectNode> ports = Json.objects(subsets.get(i).get("ports"));
            for (int j = 0; j < ports.size(); j++) {
                long port = Json.longOr(ports.get(j), 0, "port");
                if (port < 1 || port > 65535) {
                    errs.invalid(p + ".ports[" + j + "].port", port, "must be between 1 and 65535, inclusive");
                }
                errs.oneOf(p + ".ports[" + j + "].protocol", Json.str(ports.get(j), "protocol"), PodSpecValidator.PROTOCOLS);
            }
        }
    }

    /** Up to three "ip:port" pairs, then "+ N more...", as kubectl prints endpoints. */
    static String formatEndpoints(JsonNode endpoints) {
        List<ObjectNode> subsets = Json.objects(endpoints.get("subsets"));
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        int count = 0;
        for (ObjectNode ss : subsets) {
            List<ObjectNode> addresses = Json.objects(ss.get("addresses"));
            List<ObjectNode> ports = Json.objects(ss.get("ports"));
            if (ports.isEmpty()) {
                for (ObjectNode a : addresses) {
                    count++;
                    list.add(Json.text(a, "ip"));
                }
            } else {
                for (ObjectNode port : ports) {
                    for (ObjectNode a : addresses) {
                        count++;
                        String ip = Json.text(a, "ip");
                        String host = ip.contains(":") ? "[" + ip + "]" : ip;
                        list.add(host + ":" + Json.longOr(port, 0, "port"));
                    }
                }
            }
        }
        if (list.size() > 3) {
            return String.join(",", list.subList(0, 3)) + " + " + (count - 3) + " more...";
        }
        return String.join(",", list);
    }

    public static KindStrategy serviceAccounts(ResourceType type) {
        return SimpleStrategy.builder(type)
                .table(List.of(Columns.integer("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.")),
                        (o, now) -> List.of((long) Json.size(o.get("secrets"))))
                .build();
    }

    public static KindStrategy limitRanges(ResourceType type) {
        List<String> types = List.of("Container", "PersistentVolumeClaim", "Pod");
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> {
                    List<ObjectNode> limits = Json.objects(Json.at(o, "spec", "limits"));
                    for (int i = 0; i < limits.size(); i++) {
                        String t = Json.text(limits.get(i), "type");
                        if (t.isEmpty()) {
                            errs.required("spec.limits[" + i + "].type");
                        } else {
                            errs.oneOf("spec.limits[" + i + "].type", t, types);
                        }
                    }
                })
                .rawTable(List.of(Columns.name(), Columns.createdAt()), (o, now) -> List.of(Rows.name(o), Rows.createdAt(o)))
                .build();
    }

    public static KindStrategy resourceQuotas(ResourceType type) {
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> {
                    Json.stringMap(Json.at(o, "spec", "hard")).forEach((k, v) -> {
                        if (!Quantity.isValid(v)) {
                            errs.invalid("spec.hard[" + k + "]", v, "must be a valid quantity");
                        }
                    });
                })
                .rawTable(List.of(Columns.name(), Columns.age(),
                                Columns.str("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                                Columns.str("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.")),
                        (o, now) -> quotaRow(o, now))
                .build();
    }

    private static List<Object> quotaRow(ObjectNode quota, Instant now) {
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        Map<String, String> used = Json.stringMap(Json.at(quota, "status", "used"));
        Map<String, String> hard = Json.stringMap(Json.at(quota, "status", "hard"));
        for (String resource : new TreeMap<>(Json.stringMap(Json.at(quota, "spec", "hard"))).keySet()) {
            String cell = resource + ": " + used.getOrDefault(resource, "0") + "/" + hard.getOrDefault(resource, "0");
            (resource.startsWith("limits.") ? limits : requests).add(cell);
        }
        return List.of(Rows.name(quota), Rows.age(quota, now), String.join(", ", requests), String.join(", ", limits));
    }

    public static KindStrategy persistentVolumes(ResourceType type) {
        return SimpleStrategy.builder(type)
                .names(NameRules.PATH_SEGMENT_NAME)
                .defaults(o -> {
                    ObjectNode spec = Json.obj(o, "spec");
                    Json.defaultStr(spec, "persistentVolumeReclaimPolicy", "Retain");
                    Json.defaultStr(spec, "volumeMode", "Filesystem");
                    Json.defaultStr(Json.obj(o, "status"), "phase", "Pending");
                })
                .validate((o, errs) -> {
                    JsonNode spec = o.path("spec");
                    if (!Json.has(spec, "capacity", "storage")) {
                        errs.required("spec.capacity");
                    }
                    validateAccessModes(spec, errs);
                    errs.oneOf("spec.persistentVolumeReclaimPolicy", Json.str(spec, "persistentVolumeReclaimPolicy"), RECLAIM_POLICIES);
                    errs.oneOf("spec.volumeMode", Json.str(spec, "volumeMode"), VOLUME_MODES);
                    List<String> sources = List.of("hostPath", "local", "nfs", "csi", "iscsi", "fc", "rbd", "cephfs",
                            "glusterfs", "cinder", "flexVolume", "azureFile", "azureDisk", "gcePersistentDisk",
                            "awsElasticBlockStore", "vsphereVolume", "portworxVolume", "scaleIO", "storageos",
                            "quobyte", "flocker", "photonPersistentDisk");
                    if (sources.stream().noneMatch(s -> Json.has(spec, s))) {
                        errs.required("spec", "must specify a volume type");
                    }
                })
                .table(List.of(
                        Columns.str("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
                        Columns.str("Access Modes", "accessModes contains all ways the volume can be mounted."),
                        Columns.str("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
                        Columns.str("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
                        Columns.str("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
                        Columns.str("StorageClass", "storageClassName is the name of StorageClass to which this persistent volume belongs."),
                        Columns.str("VolumeAttributesClass", "Name of VolumeAttributesClass to which this persistent volume belongs."),
                        Columns.str("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
                        Columns.wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.")),
                        CoreMiscStrategies::pvCells)
                .build();
    }

    private static List<Object> pvCells(ObjectNode pv, Instant now) {
        JsonNode spec = pv.path("spec");
        String claim = "";
        if (Json.has(spec, "claimRef")) {
            claim = Json.text(spec, "claimRef", "namespace") + "/" + Json.text(spec, "claimRef", "name");
        }
        return List.of(Json.text(spec, "capacity", "storage"), accessModes(spec.get("accessModes")),
                Json.text(spec, "persistentVolumeReclaimPolicy"), Json.text(pv, "status", "phase"), claim,
                Json.text(spec, "storageClassName"), unset(Json.str(spec, "volumeAttributesClassName")),
                Json.text(pv, "status", "reason"), unset(Json.str(spec, "volumeMode")));
    }

    private static String unset(String s) {
        return s == null ? "<unset>" : s;
    }

    /** RWO,ROX,RWX,RWOP as kubectl abbreviates them. */
    static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        List<String> given = Json.strings(modes);
        for (String[] m : new String[][]{{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}}) {
            if (given.contains(m[0])) {
                out.add(m[1]);
            }
        }
        return String.join(",", out);
    }

    private static void validateAccessModes(JsonNode spec, Errors errs) {
        List<String> modes = Json.strings(spec.get("accessModes"));
        if (modes.isEmpty()) {
            errs.required("spec.accessModes");
        }
        for (String m : modes) {
            errs.oneOf("spec.accessModes", m, ACCESS_MODES);
        }
        if (modes.contains("ReadWriteOncePod") && modes.size() > 1) {
            errs.forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes");
        }
    }

    public static KindStrategy persistentVolumeClaims(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> {
                    Json.defaultStr(Json.obj(o, "spec"), "volumeMode", "Filesystem");
                    Json.defaultStr(Json.obj(o, "status"), "phase", "Pending");
                })
                .validate((o, errs) -> {
                    JsonNode spec = o.path("spec");
                    validateAccessModes(spec, errs);
                    String storage = Json.str(spec, "resources", "requests", "storage");
                    if (storage == null) {
                        errs.required("spec.resources[storage]");
                    } else {
                        BigDecimal q = Quantity.parse(storage);
                        if (q == null || q.signum() <= 0) {
                            errs.invalid("spec.resources[storage]", storage, "must be greater than zero");
                        }
                    }
                    errs.oneOf("spec.volumeMode", Json.str(spec, "volumeMode"), VOLUME_MODES);
                })
                .onUpdate((o, old, errs) -> {
                    ObjectNode spec = o.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.object();
                    ObjectNode oldSpec = old.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.object();
                    for (ObjectNode s : List.of(spec, oldSpec)) {
                        if (s.get("resources") instanceof ObjectNode r) {
                            r.remove("requests");
                        }
                        s.remove("volumeAttributesClassName");
                    }
                    // binding fills in volumeName once
                    if (Json.text(oldSpec, "volumeName").isEmpty()) {
                        spec.remove("volumeName");
                        oldSpec.remove("volumeName");
                    }
                    if (!Json.same(spec, oldSpec)) {
                        errs.forbidden("spec", PVC_IMMUTABLE);
                    }
                })
                .table(List.of(
                        Columns.str("Status", "phase represents the current phase of PersistentVolumeClaim."),
                        Columns.str("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                        Columns.str("Capacity", "capacity represents the actual resources of the underlying volume."),
                        Columns.str("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
                        Columns.str("StorageClass", "storageClassName is the name of the StorageClass required by the claim."),
                        Columns.str("VolumeAttributesClass", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
                        Columns.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim.")),
                        CoreMiscStrategies::pvcCells)
                .build();
    }

    private static List<Object> pvcCells(ObjectNode pvc, Instant now) {
        JsonNode spec = pvc.path("spec");
        JsonNode status = pvc.path("status");
        String phase = Json.has(pvc, "metadata", "deletionTimestamp") ? "Terminating" : Json.text(status, "phase");
        String capacity = "";
        String modes = "";
        if (!Json.text(spec, "volumeName").isEmpty()) {
            capacity = Json.text(status, "capacity", "storage");
            modes = accessModes(status.get("accessModes"));
        }
        String storageClass = Json.str(spec, "storageClassName");
        if (storageClass == null) {
            storageClass = Json.text(pvc, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
        }
        return List.of(phase, Json.text(spec, "volumeName"), capacity, modes, storageClass,
                unset(Json.str(spec, "volumeAttributesClassName")), unset(Json.str(spec, "volumeMode")));
    }

    public static KindStrategy bindings(ResourceType type) {
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> {
                    if (Json.text(o, "target", "name").isEmpty()) {
                        errs.required("target.name");
                    }
                    String kind = Json.text(o, "target", "kind");
                    if (!kind.isEmpty() && !kind.equals("Node")) {
                        errs.notSupported("target.kind", kind, List.of("Node", "<empty>"));
                    }
                })
                .build();
    }

    public static KindStrategy componentStatuses(ResourceType type) {
        return SimpleStrategy.builder(type)
                .rawTable(List.of(Columns.name(),
                                Columns.str("Status", "Status of the component conditions"),
                                Columns.str("Message", "Message of the component conditions"),
                                Columns.str("Error", "Error of the component conditions")),
                        CoreMiscStrategies::componentStatusRow)
                .build();
    }

    private static List<Object> componentStatusRow(ObjectNode cs, Instant now) {
        String status = "Unknown";
        String message = "";
        String error = "";
        for (JsonNode c : Json.objects(cs.get("conditions"))) {
            if ("Healthy".equals(Json.text(c, "type"))) {
                status = "True".equals(Json.text(c, "status")) ? "Healthy" : "Unhealthy";
                message = Json.text(c, "message");
                error = Json.text(c, "error");
                break;
            }
        }
        return List.of(Rows.name(cs), status, message, error);
    }

    public static KindStrategy podTemplates(ResourceType type) {
        return SimpleStrategy.builder(type)
                .defaults(o -> PodSpecDefaults.applyToTemplate(Json.obj(o, "template")))
                .validate((o, errs) -> PodSpecValidator.validate(Json.at(o, "template", "spec"), "template.spec",
                        PodSpecValidator.ALL_RESTART_POLICIES, errs))
                .rawTable(List.of(Columns.name(),
                                Columns.str("Containers", "Names of each container in the template."),
                                Columns.str("Images", "Images referenced by each container in the template."),
                                Columns.str("Pod Labels", "The labels for the pod template.")),
                        (o, now) -> List.of(Rows.name(o), Rows.containerNames(Json.at(o, "template", "spec")),
                                Rows.containerImages(Json.at(o, "template", "spec")),
                                Selectors.formatLabels(Json.at(o, "template", "metadata", "labels"))))
                .build();
    }
}
