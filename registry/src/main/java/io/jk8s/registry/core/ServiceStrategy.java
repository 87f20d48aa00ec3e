package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.MetaValidator;
import io.jk8s.registry.validation.NameRules;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Services: defaults (type, session affinity, port protocol/targetPort, traffic and IP-family policies),
 * validation of ports and types, and keeping allocated cluster IPs and node ports across updates.
 * Allocating them is the API server's job.
 */
public final class ServiceStrategy extends BaseStrategy {

    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final List<String> AFFINITIES = List.of("ClientIP", "None");
    static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final Pattern IP_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    static final List<TableColumn> COLUMNS = List.of(
            Columns.name(),
            Columns.str("Type", "type determines how the Service is exposed."),
            Columns.str("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
            Columns.str("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            Columns.str("Port(s)", "The list of ports that are exposed by this service."),
            Columns.age(),
            Columns.wide("Selector", "Route service traffic to pods with label keys and values matching this selector."));

    public ServiceStrategy(ResourceType type) {
        super(type, NameRules.DNS1035_NAME);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        Json.defaultStr(spec, "type", "ClusterIP");
        String type = Json.text(spec, "type");
        Json.defaultStr(spec, "sessionAffinity", "None");
        if ("ClientIP".equals(Json.text(spec, "sessionAffinity"))) {
            ObjectNode clientIp = Json.obj(Json.obj(spec, "sessionAffinityConfig"), "clientIP");
            Json.defaultLong(clientIp, "timeoutSeconds", 10800);
        }
        for (ObjectNode port : Json.objects(spec.get("ports"))) {
            Json.defaultStr(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            if (!Json.present(target) || (target.isNumber() && target.asLong() == 0) || (target.isTextual() && target.asText().isEmpty())) {
                if (port.has("port")) {
                    port.set("targetPort", port.get("port"));
                }
            }
        }
        if (!type.equals("ExternalName")) {
            Json.defaultStr(spec, "internalTrafficPolicy", "Cluster");
            Json.defaultStr(spec, "ipFamilyPolicy", "SingleStack");
            if (Json.size(spec.get("ipFamilies")) == 0) {
                spec.putArray("ipFamilies").add(Json.text(spec, "clusterIP").contains(":") ? "IPv6" : "IPv4");
            }
            String clusterIp = Json.text(spec, "clusterIP");
            if (!clusterIp.isEmpty() && Json.size(spec.get("clusterIPs")) == 0) {
                spec.putArray("clusterIPs").add(clusterIp);
            }
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            Json.defaultStr(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Json.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
        }
    }

    /**
     * Keeps status, and the allocated clusterIP/nodePorts when a client (e.g. kubectl replace) omits them;
     * drops allocations the new type no longer uses when the client merely carried them over (upstream's
     * {@code dropTypeDependentFields}), so that {@code kubectl apply} can change NodePort to ClusterIP.
     */
    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        ObjectNode spec = Json.obj(obj, "spec");
        JsonNode oldSpec = old.path("spec");
        dropTypeDependentFields(spec, oldSpec);
        boolean external = "ExternalName".equals(Json.text(spec, "type"));
        boolean wasExternal = "ExternalName".equals(Json.text(oldSpec, "type"));
        if (!external && !wasExternal && Json.text(spec, "clusterIP").isEmpty() && !Json.text(oldSpec, "clusterIP").isEmpty()) {
            Json.copyField(spec, oldSpec, "clusterIP");
            Json.copyField(spec, oldSpec, "clusterIPs");
        }
        String type = Json.text(spec, "type");
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            for (ObjectNode port : Json.objects(spec.get("ports"))) {
                if (Json.longOr(port, 0, "nodePort") != 0) {
                    continue;
                }
                for (JsonNode oldPort : Json.objects(oldSpec.get("ports"))) {
                    if (Json.longOr(oldPort, 0, "port") == Json.longOr(port, 0, "port")
                            && Json.text(oldPort, "protocol").equals(Json.text(port, "protocol").isEmpty() ? "TCP" : Json.text(port, "protocol"))
                            && Json.longOr(oldPort, 0, "nodePort") != 0) {
                        port.set("nodePort", oldPort.get("nodePort").deepCopy());
                    }
                }
            }
            if (Json.missing(spec, "healthCheckNodePort") && Json.has(oldSpec, "healthCheckNodePort")) {
                Json.copyField(spec, oldSpec, "healthCheckNodePort");
            }
        }
    }

    private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
        String type = Json.text(spec, "type");
        String oldType = Json.text(oldSpec, "type");
        if (type.equals(oldType)) {
            return;
        }
        boolean usesNodePorts = type.equals("NodePort") || type.equals("LoadBalancer");
        if (!usesNodePorts) {
            List<ObjectNode> oldPorts = Json.objects(oldSpec.get("ports"));
            for (ObjectNode port : Json.objects(spec.get("ports"))) {
                for (ObjectNode oldPort : oldPorts) {
                    if (Json.has(port, "nodePort") && Json.same(port.get("nodePort"), oldPort.get("nodePort"))) {
                        port.remove("nodePort");
                    }
                }
            }
            if (Json.same(spec.get("externalTrafficPolicy"), oldSpec.get("externalTrafficPolicy"))) {
                spec.remove("externalTrafficPolicy");
            }
        }
        if (!type.equals("LoadBalancer")) {
            for (String field : List.of("healthCheckNodePort", "allocateLoadBalancerNodePorts", "loadBalancerClass")) {
                if (Json.same(spec.get(field), oldSpec.get(field))) {
                    spec.remove(field);
                }
            }
        }
        if (type.equals("ExternalName")) {
            for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy")) {
                if (Json.same(spec.get(field), oldSpec.get(field))) {
                    spec.remove(field);
                }
            }
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode spec = obj.path("spec");
        String type = Json.text(spec, "type");
        if (type.isEmpty()) {
            errs.required("spec.type");
        } else {
            errs.oneOf("spec.type", type, TYPES);
        }
        String clusterIp = Json.text(spec, "clusterIP");
        boolean headless = clusterIp.equals("None");
        List<ObjectNode> ports = Json.objects(spec.get("ports"));
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.required("spec.ports");
        }
        if (type.equals("ExternalName")) {
            String ext = Json.text(spec, "externalName");
            if (ext.isEmpty()) {
                errs.required("spec.externalName");
            } else {
                errs.invalidEach("spec.externalName", ext, NameRules.dns1123Subdomain(ext.endsWith(".") ? ext.substring(0, ext.length() - 1) : ext));
            }
            if (!clusterIp.isEmpty()) {
                errs.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
            }
        } else if (!clusterIp.isEmpty() && !headless && !isIp(clusterIp)) {
            errs.invalid("spec.clusterIPs[0]", clusterIp, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        if (headless && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            errs.invalid("spec.clusterIPs[0]", clusterIp, "may not be set to 'None' for " + type + " services");
        }
        validatePorts(ports, type, errs);
        errs.oneOf("spec.sessionAffinity", Json.str(spec, "sessionAffinity"), AFFINITIES);
        String itp = Json.str(spec, "internalTrafficPolicy");
        if (itp != null && !itp.isEmpty()) {
            errs.oneOf("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES);
        }
        String etp = Json.str(spec, "externalTrafficPolicy");
        if (etp != null && !etp.isEmpty()) {
            if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                errs.invalid("spec.externalTrafficPolicy", etp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'");
            } else {
                errs.oneOf("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES);
            }
        }
        MetaValidator.validateLabels(spec.get("selector"), "spec.selector", errs);
        List<String> externalIps = Json.strings(spec.get("externalIPs"));
        for (int i = 0; i < externalIps.size(); i++) {
            if (!isIp(externalIps.get(i))) {
                errs.invalid("spec.externalIPs[" + i + "]", externalIps.get(i), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }
    }

    private static void validatePorts(List<ObjectNode> ports, String type, Errors errs) {
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String p = "spec.ports[" + i + "]";
            String name = Json.text(port, "name");
            if (ports.size() > 1 && name.isEmpty()) {
                errs.required(p + ".name");
            } else if (!name.isEmpty()) {
                errs.invalidEach(p + ".name", name, NameRules.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(p + ".name", name);
                }
            }
            long number = Json.longOr(port, 0, "port");
            if (number < 1 || number > 65535) {
                errs.invalid(p + ".port", number, "must be between 1 and 65535, inclusive");
            }
            String protocol = Json.text(port, "protocol");
            if (protocol.isEmpty()) {
                errs.required(p + ".protocol");
            } else {
                errs.oneOf(p + ".protocol", protocol, PodSpecValidator.PROTOCOLS);
            }
            JsonNode target = port.get("targetPort");
            if (target != null && target.isNumber() && (target.asLong() < 1 || target.asLong() > 65535)) {
                errs.invalid(p + ".targetPort", target.asLong(), "must be between 1 and 65535, inclusive");
            } else if (target != null && target.isTextual()) {
                errs.invalidEach(p + ".targetPort", target.asText(), NameRules.portName(target.asText()));
            }
            long nodePort = Json.longOr(port, 0, "nodePort");
            if (nodePort != 0 && !type.equals("NodePort") && !type.equals("LoadBalancer")) {
                errs.forbidden(p + ".nodePort", "may not be used when `type` is '" + type + "'");
            } else if (nodePort != 0 && (nodePort < 1 || nodePort > 65535)) {
                errs.invalid(p + ".nodePort", nodePort, "must be between 1 and 65535, inclusive");
            }
            if (!portProtocols.add(number + "/" + protocol)) {
                errs.duplicate(p, number + "/" + protocol);
            }
        }
    }

    static boolean isIp(String s) {
        if (!IP_CHARS.matcher(s).matches()) {
            return false;
        }
        if (!s.contains(":")) {
            return IPV4.matcher(s).matches();
        }
        try {
            // a literal containing ':' is parsed, never resolved
            InetAddress.getByName(s);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        String oldIp = Json.text(oldSpec, "clusterIP");
        String newIp = Json.text(spec, "clusterIP");
        boolean touchesExternalName = "ExternalName".equals(Json.text(spec, "type")) || "ExternalName".equals(Json.text(oldSpec, "type"));
        if (!oldIp.isEmpty() && !oldIp.equals(newIp) && !touchesExternalName) {
            errs.invalid("spec.clusterIPs[0]", newIp, "may not change once set");
        }
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> row(ObjectNode svc, Instant now) {
        JsonNode spec = svc.path("spec");
        List<String> ips = Json.strings(spec.get("clusterIPs"));
        String clusterIp = !ips.isEmpty() ? ips.get(0) : Rows.orNone(Json.text(spec, "clusterIP"));
        List<String> ports = new ArrayList<>();
        for (JsonNode port : Json.objects(spec.get("ports"))) {
            long nodePort = Json.longOr(port, 0, "nodePort");
            String protocol = Json.text(port, "protocol");
            ports.add(nodePort > 0 ? Json.longOr(port, 0, "port") + ":" + nodePort + "/" + protocol
                    : Json.longOr(port, 0, "port") + "/" + protocol);
        }
        List<Object> row = new ArrayList<>();
        row.add(Rows.name(svc));
        row.add(Json.text(spec, "type"));
        row.add(clusterIp);
        row.add(externalIp(svc));
        row.add(ports.isEmpty() ? "<none>" : String.join(",", ports));
        row.add(Rows.age(svc, now));
        row.add(Selectors.formatLabels(spec.get("selector")));
        return row;
    }

    static String externalIp(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        List<String> external = Json.strings(spec.get("externalIPs"));
        switch (Json.text(spec, "type")) {
            case "ClusterIP", "NodePort" -> {
                return external.isEmpty() ? "<none>" : String.join(",", external);
            }
            case "LoadBalancer" -> {
                List<String> all = new ArrayList<>();
                for (JsonNode ing : Json.objects(Json.at(svc, "status", "loadBalancer", "ingress"))) {
                    String ip = Json.text(ing, "ip");
                    String host = Json.text(ing, "hostname");
                    if (!ip.isEmpty()) {
                        all.add(ip);
                    } else if (!host.isEmpty()) {
                        all.add(host);
                    }
                }
                all.addAll(external);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> {
                return Json.text(spec, "externalName");
            }
            default -> {
                return "<unknown>";
            }
        }
    }
}
