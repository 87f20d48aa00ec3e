package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Quantity;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.MetaValidator;
import io.jk8s.registry.validation.NameRules;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's {@code ValidatePodSpec} for the rules users hit: containers, names, images, ports,
 * resources, volumes and mounts, restart and DNS policies, tolerations. Paths are reported under the
 * given prefix ({@code spec} for Pods, {@code spec.template.spec} for workloads).
 */
public final class PodSpecValidator {

    public static final List<String> ALL_RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> DNS_POLICIES = List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
    static final List<String> TAINT_EFFECTS = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");

    private PodSpecValidator() {
    }

    /**
     * @param restartPolicies the values this owner allows, e.g. only {@code Always} for Deployments
     */
    public static void validate(JsonNode spec, String path, List<String> restartPolicies, Errors errs) {
        Set<String> volumes = validateVolumes(spec.get("volumes"), path + ".volumes", errs);
        List<ObjectNode> containers = Json.objects(spec.get("containers"));
        if (containers.isEmpty()) {
            errs.required(path + ".containers");
        }
        Set<String> names = new HashSet<>();
        List<ObjectNode> inits = Json.objects(spec.get("initContainers"));
        for (int i = 0; i < inits.size(); i++) {
            String p = path + ".initContainers[" + i + "]";
            validateContainer(inits.get(i), p, volumes, names, errs);
            // only sidecars (restartPolicy Always) may restart
            String restart = Json.str(inits.get(i), "restartPolicy");
            if (restart != null && !restart.equals("Always")) {
                errs.notSupported(p + ".restartPolicy", restart, List.of("Always"));
            }
        }
        for (int i = 0; i < containers.size(); i++) {
            String p = path + ".containers[" + i + "]";
            validateContainer(containers.get(i), p, volumes, names, errs);
            if (Json.has(containers.get(i), "restartPolicy")) {
                errs.forbidden(p + ".restartPolicy", "may not be set for non-init containers");
            }
        }
        String restart = Json.str(spec, "restartPolicy");
        if (restart == null || restart.isEmpty()) {
            errs.required(path + ".restartPolicy");
        } else if (!restartPolicies.contains(restart)) {
            errs.notSupported(path + ".restartPolicy", restart, restartPolicies);
        }
        String dns = Json.str(spec, "dnsPolicy");
        if (dns != null && !dns.isEmpty()) {
            errs.oneOf(path + ".dnsPolicy", dns, DNS_POLICIES);
        }
        Long deadline = Json.longOrNull(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.invalid(path + ".activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive");
        }
        MetaValidator.validateLabels(spec.get("nodeSelector"), path + ".nodeSelector", errs);
        for (String dnsName : List.of("hostname", "subdomain")) {
            String v = Json.str(spec, dnsName);
            if (v != null && !v.isEmpty()) {
                errs.invalidEach(path + "." + dnsName, v, NameRules.dns1123Label(v));
            }
        }
        String sa = Json.str(spec, "serviceAccountName");
        if (sa != null && !sa.isEmpty()) {
            errs.invalidEach(path + ".serviceAccountName", sa, NameRules.dns1123Subdomain(sa));
        }
        validateTolerations(spec.get("tolerations"), path + ".tolerations", errs);
    }

    private static Set<String> validateVolumes(JsonNode list, String path, Errors errs) {
        Set<String> names = new HashSet<>();
        List<ObjectNode> volumes = Json.objects(list);
        for (int i = 0; i < volumes.size(); i++) {
            String p = path + "[" + i + "]";
            String name = Json.text(volumes.get(i), "name");
            if (name.isEmpty()) {
                errs.required(p + ".name");
            } else {
                errs.invalidEach(p + ".name", name, NameRules.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
        }
        return names;
    }

    private static void validateContainer(ObjectNode c, String path, Set<String> volumes, Set<String> names, Errors errs) {
        String name = Json.text(c, "name");
        if (name.isEmpty()) {
            errs.required(path + ".name");
        } else {
            errs.invalidEach(path + ".name", name, NameRules.dns1123Label(name));
            if (!names.add(name)) {
                errs.duplicate(path + ".name", name);
            }
        }
        String image = Json.text(c, "image");
        if (image.isBlank()) {
            errs.required(path + ".image");
        } else if (!image.equals(image.strip())) {
            errs.invalid(path + ".image", image, "must not have leading or trailing whitespace");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (Json.has(c, probe)) {
                validateProbe(c.get(probe), path + "." + probe, !probe.equals("readinessProbe"), errs);
            }
        }
        String pull = Json.str(c, "imagePullPolicy");
        if (pull != null && !pull.isEmpty()) {
            errs.oneOf(path + ".imagePullPolicy", pull, PULL_POLICIES);
        }
        validatePorts(Json.objects(c.get("ports")), path + ".ports", errs);
        List<ObjectNode> env = Json.objects(c.get("env"));
        for (int i = 0; i < env.size(); i++) {
            String envName = Json.text(env.get(i), "name");
            if (envName.isEmpty()) {
                errs.required(path + ".env[" + i + "].name");
            } else if (envName.contains("=") || !envName.chars().allMatch(ch -> ch >= 32 && ch <= 126)) {
                errs.invalid(path + ".env[" + i + "].name", envName,
                        "a valid environment variable name must consist only of printable ASCII characters other than '='");
            }
        }
        List<ObjectNode> mounts = Json.objects(c.get("volumeMounts"));
        for (int i = 0; i < mounts.size(); i++) {
            String p = path + ".volumeMounts[" + i + "]";
            String vol = Json.text(mounts.get(i), "name");
            if (vol.isEmpty()) {
                errs.required(p + ".name");
            } else if (!volumes.contains(vol)) {
                errs.notFound(p + ".name", vol);
            }
            if (Json.text(mounts.get(i), "mountPath").isEmpty()) {
                errs.required(p + ".mountPath");
            }
        }
        validateResources(c.path("resources"), path + ".resources", errs);
    }

    private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");

    private static void validateProbe(JsonNode probe, String path, boolean successMustBeOne, Errors errs) {
        long handlers = HANDLERS.stream().filter(h -> Json.has(probe, h)).count();
        if (handlers == 0) {
            errs.required(path, "must specify a handler type");
        } else if (handlers > 1) {
            errs.forbidden(path, "may not specify more than 1 handler type");
        }
        for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
            errs.nonNegative(path + "." + field, Json.longOrNull(probe, field));
        }
        Long success = Json.longOrNull(probe, "successThreshold");
        if (successMustBeOne && success != null && success != 1) {
            errs.invalid(path + ".successThreshold", success, "must be 1");
        }
        Long port = Json.longOrNull(probe, "httpGet", "port");
        if (port == null) {
            port = Json.longOrNull(probe, "tcpSocket", "port");
        }
        if (port != null && (port < 1 || port > 65535)) {
            errs.invalid(path + (Json.has(probe, "httpGet") ? ".httpGet.port" : ".tcpSocket.port"), port,
                    "must be between 1 and 65535, inclusive");
        }
    }

    private static void validatePorts(List<ObjectNode> ports, String path, Errors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String p = path + "[" + i + "]";
            String name = Json.str(port, "name");
            if (name != null && !name.isEmpty()) {
                errs.invalidEach(p + ".name", name, NameRules.portName(name));
                if (!names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            long containerPort = Json.longOr(port, 0, "containerPort");
            if (containerPort == 0) {
                errs.required(p + ".containerPort");
            } else if (containerPort < 1 || containerPort > 65535) {
                errs.invalid(p + ".containerPort", containerPort, "must be between 1 and 65535, inclusive");
            }
            long hostPort = Json.longOr(port, 0, "hostPort");
            if (hostPort != 0 && (hostPort < 1 || hostPort > 65535)) {
                errs.invalid(p + ".hostPort", hostPort, "must be between 1 and 65535, inclusive");
            }
            String protocol = Json.str(port, "protocol");
            if (protocol == null || protocol.isEmpty()) {
                errs.required(p + ".protocol");
            } else {
                errs.oneOf(p + ".protocol", protocol, PROTOCOLS);
            }
        }
    }

    /** Quantities must parse, be non-negative, and requests may not exceed limits. */
    static void validateResources(JsonNode resources, String path, Errors errs) {
        Map<String, String> limits = Json.stringMap(resources.get("limits"));
        Map<String, String> requests = Json.stringMap(resources.get("requests"));
        checkQuantities(limits, path + ".limits", errs);
        checkQuantities(requests, path + ".requests", errs);
        for (Map.Entry<String, String> req : requests.entrySet()) {
            BigDecimal r = Quantity.parse(req.getValue());
            String limitText = limits.get(req.getKey());
            BigDecimal l = Quantity.parse(limitText);
            if (r != null && l != null && r.compareTo(l) > 0) {
                errs.invalid(path + ".requests[" + req.getKey() + "]", req.getValue(),
                        "must be less than or equal to " + req.getKey() + " limit of " + limitText);
            }
        }
    }

    private static void checkQuantities(Map<String, String> quantities, String path, Errors errs) {
        for (Map.Entry<String, String> e : quantities.entrySet()) {
            BigDecimal q = Quantity.parse(e.getValue());
            String p = path + "[" + e.getKey() + "]";
            if (q == null) {
                errs.invalid(p, e.getValue(), "quantities must match the regular expression "
                        + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
            } else if (q.signum() < 0) {
                errs.invalid(p, e.getValue(), "must be greater than or equal to 0");
            }
        }
    }

    static void validateTolerations(JsonNode list, String path, Errors errs) {
        List<ObjectNode> tolerations = Json.objects(list);
        for (int i = 0; i < tolerations.size(); i++) {
            ObjectNode t = tolerations.get(i);
            String p = path + "[" + i + "]";
            String key = Json.text(t, "key");
            if (!key.isEmpty()) {
                errs.invalidEach(p + ".key", key, NameRules.qualifiedName(key));
            }
            String op = Json.str(t, "operator");
            if (key.isEmpty() && !"Exists".equals(op)) {
                errs.invalid(p + ".operator", op == null ? "" : op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (op != null && !op.isEmpty()) {
                errs.oneOf(p + ".operator", op, TOLERATION_OPERATORS);
            }
            if ("Exists".equals(op) && !Json.text(t, "value").isEmpty()) {
                errs.invalid(p + ".operator", Json.text(t, "value"), "value must be empty when `operator` is 'Exists'");
            }
            String effect = Json.str(t, "effect");
            if (effect != null && !effect.isEmpty()) {
                errs.oneOf(p + ".effect", effect, TAINT_EFFECTS);
            }
            if (Json.has(t, "tolerationSeconds") && !"NoExecute".equals(effect)) {
                errs.invalid(p + ".effect", effect == null ? "" : effect,
                        "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
        }
    }
}
