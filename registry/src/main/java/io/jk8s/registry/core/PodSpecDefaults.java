package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.support.Json;

import java.util.List;

/**
 * Upstream's {@code SetDefaults_PodSpec} / {@code SetDefaults_Container} / {@code SetDefaults_Volume} for the
 * fields users see in {@code kubectl get -o yaml}. Shared by Pods and every pod template.
 */
public final class PodSpecDefaults {

    static final int DEFAULT_MODE = 0644; // 420, upstream's default file mode for secret/configMap volumes
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
            "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
            "ephemeral", "image");

    private PodSpecDefaults() {
    }

    /** Defaults of a pod template's {@code spec.template}: its spec, with labels untouched. */
    public static void applyToTemplate(ObjectNode template) {
        applyToSpec(Json.obj(template, "spec"));
    }

    public static void applyToSpec(ObjectNode spec) {
        Json.defaultStr(spec, "dnsPolicy", "ClusterFirst");
        Json.defaultStr(spec, "restartPolicy", "Always");
        Json.defaultLong(spec, "terminationGracePeriodSeconds", 30);
        Json.defaultObj(spec, "securityContext");
        Json.defaultStr(spec, "schedulerName", "default-scheduler");
        Json.defaultBool(spec, "enableServiceLinks", true);
        boolean hostNetwork = Json.bool(spec, "hostNetwork");
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (ObjectNode c : Json.objects(spec.get(list))) {
                applyToContainer(c, hostNetwork);
            }
        }
        for (ObjectNode v : Json.objects(spec.get("volumes"))) {
            applyToVolume(v);
        }
    }

    static void applyToContainer(ObjectNode c, boolean hostNetwork) {
        Json.defaultStr(c, "imagePullPolicy", pullPolicyFor(Json.text(c, "image")));
        Json.defaultStr(c, "terminationMessagePath", "/dev/termination-log");
        Json.defaultStr(c, "terminationMessagePolicy", "File");
        Json.defaultObj(c, "resources");
        for (ObjectNode p : Json.objects(c.get("ports"))) {
            Json.defaultStr(p, "protocol", "TCP");
            if (hostNetwork && Json.missing(p, "hostPort") && Json.has(p, "containerPort")) {
                p.set("hostPort", p.get("containerPort"));
            }
        }
        for (ObjectNode e : Json.objects(c.get("env"))) {
            ObjectNode fieldRef = Json.objAt(e, "valueFrom", "fieldRef");
            if (fieldRef != null) {
                Json.defaultStr(fieldRef, "apiVersion", "v1");
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) {
                Json.defaultLong(p, "timeoutSeconds", 1);
                Json.defaultLong(p, "periodSeconds", 10);
                Json.defaultLong(p, "successThreshold", 1);
                Json.defaultLong(p, "failureThreshold", 3);
                defaultHttpGet(p);
            }
        }
        ObjectNode lifecycle = Json.objAt(c, "lifecycle");
        if (lifecycle != null) {
            for (String hook : List.of("postStart", "preStop")) {
                if (lifecycle.get(hook) instanceof ObjectNode h) {
                    defaultHttpGet(h);
                }
            }
        }
    }

    private static void defaultHttpGet(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode get) {
            Json.defaultStr(get, "path", "/");
            Json.defaultStr(get, "scheme", "HTTP");
        }
    }

    static void applyToVolume(ObjectNode v) {
        if (VOLUME_SOURCES.stream().noneMatch(s -> Json.has(v, s))) {
            v.putObject("emptyDir");
        }
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (v.get(source) instanceof ObjectNode s) {
                Json.defaultLong(s, "defaultMode", DEFAULT_MODE);
            }
        }
        if (v.get("hostPath") instanceof ObjectNode hp) {
            Json.defaultStr(hp, "type", "");
        }
        if (v.get("projected") instanceof ObjectNode projected) {
            for (ObjectNode src : Json.objects(projected.get("sources"))) {
                if (src.get("serviceAccountToken") instanceof ObjectNode tok) {
                    Json.defaultLong(tok, "expirationSeconds", 3600);
                }
            }
        }
    }

    /** {@code Always} for an untagged or {@code :latest} image, else {@code IfNotPresent}. */
    public static String pullPolicyFor(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "Always";
        }
        return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    /** Whether a pod spec asks for host networking (used by selectable fields). */
    static boolean hostNetwork(JsonNode spec) {
        return Json.bool(spec, "hostNetwork");
    }
}
