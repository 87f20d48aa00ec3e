package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.apps.WorkloadRules;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.GoValue;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.util.ArrayList;
import java.util.List;

/** networking.k8s.io/v1: Ingresses, IngressClasses, NetworkPolicies. */
public final class NetworkingStrategies {

    static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

    private NetworkingStrategies() {
    }

    public static KindStrategy ingress(ResourceType type) {
        return SimpleStrategy.builder(type)
                .tracksGeneration()
                .validate(NetworkingStrategies::validateIngress)
                .table(List.of(Columns.str("Class", "The name of the IngressClass resource that should be used"),
                                Columns.str("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                                Columns.str("Address", "Address is a list containing ingress points for the load-balancer"),
                                Columns.str("Ports", "Ports of TLS configurations that open")),
                        (o, now) -> {
                            JsonNode spec = o.path("spec");
                            String cls = Json.str(spec, "ingressClassName");
                            List<ObjectNode> rules = Json.objects(spec.get("rules"));
                            List<String> hosts = new ArrayList<>();
                            for (int i = 0; i < rules.size() && i < 3; i++) {
                                String h = Json.text(rules.get(i), "host");
                                if (!h.isEmpty()) {
                                    hosts.add(h);
                                }
                            }
                            String hostText = hosts.isEmpty() ? "*" : String.join(",", hosts)
                                    + (rules.size() > 3 ? " + " + (rules.size() - 3) + " more..." : "");
                            List<String> addresses = new ArrayList<>();
                            for (ObjectNode ing : Json.objects(Json.at(o, "status", "loadBalancer", "ingress"))) {
                                String ip = Json.text(ing, "ip");
                                addresses.add(ip.isEmpty() ? Json.text(ing, "hostname") : ip);
                            }
                            return List.of(cls == null ? "<none>" : cls, hostText, String.join(",", addresses),
                                    Json.size(spec.get("tls")) > 0 ? "80, 443" : "80");
                        })
                .build();
    }

    private static void validateIngress(ObjectNode o, Errors errs) {
        JsonNode spec = o.path("spec");
        if (!Json.has(spec, "defaultBackend") && Json.size(spec.get("rules")) == 0) {
            errs.invalid("spec.rules", new GoValue("[]networking.IngressRule(nil)"),
                    "either `defaultBackend` or `rules` must be specified");
        }
        List<ObjectNode> rules = Json.objects(spec.get("rules"));
        for (int i = 0; i < rules.size(); i++) {
            String p = "spec.rules[" + i + "]";
            String host = Json.text(rules.get(i), "host");
            if (!host.isEmpty()) {
                String checked = host.startsWith("*.") ? host.substring(2) : host;
                errs.invalidEach(p + ".host", host, NameRules.dns1123Subdomain(checked));
            }
            List<ObjectNode> paths = Json.objects(Json.at(rules.get(i), "http", "paths"));
            for (int j = 0; j < paths.size(); j++) {
                String pp = p + ".http.paths[" + j + "]";
                String pathType = Json.text(paths.get(j), "pathType");
                if (pathType.isEmpty()) {
                    errs.required(pp + ".pathType", "pathType must be specified");
                } else {
                    errs.oneOf(pp + ".pathType", pathType, PATH_TYPES);
                }
                String path = Json.text(paths.get(j), "path");
                if (!pathType.equals("ImplementationSpecific") && !path.startsWith("/")) {
                    errs.invalid(pp + ".path", path, "must be an absolute path");
                }
                validateBackend(paths.get(j).path("backend"), pp + ".backend", errs);
            }
        }
        if (Json.has(spec, "defaultBackend")) {
            validateBackend(spec.path("defaultBackend"), "spec.defaultBackend", errs);
        }
    }

    private static void validateBackend(JsonNode backend, String path, Errors errs) {
        boolean service = Json.has(backend, "service");
        boolean resource = Json.has(backend, "resource");
        if (service == resource) {
            errs.invalid(path, new GoValue(backend.toString()), "cannot set both resource and service backends");
            return;
        }
        if (service) {
            String name = Json.text(backend, "service", "name");
            if (name.isEmpty()) {
                errs.required(path + ".service.name");
            } else {
                errs.invalidEach(path + ".service.name", name, NameRules.dns1035Label(name));
            }
            boolean byName = !Json.text(backend, "service", "port", "name").isEmpty();
            boolean byNumber = Json.longOr(backend, 0, "service", "port", "number") != 0;
            if (byName == byNumber) {
                errs.invalid(path + ".service.port", new GoValue(Json.at(backend, "service", "port").toString()),
                        "port name or number is required");
            }
        }
    }

    public static KindStrategy ingressClass(ResourceType type) {
        return SimpleStrategy.builder(type)
                .validate((o, errs) -> {
                    String controller = Json.text(o, "spec", "controller");
                    if (controller.isEmpty()) {
                        errs.required("spec.controller");
                    }
                })
                .onUpdate((o, old, errs) -> errs.immutable("spec.controller", Json.text(o, "spec", "controller"), Json.text(old, "spec", "controller")))
                .table(List.of(Columns.str("Controller", "Controller that is responsible for handling this class"),
                                Columns.str("Parameters", "A reference to a resource with additional parameters")),
                        (o, now) -> {
                            JsonNode params = Json.at(o, "spec", "parameters");
                            String text = "<none>";
                            if (Json.present(params)) {
                                text = Json.text(params, "kind");
                                if (Json.has(params, "apiGroup")) {
                                    text += "." + Json.text(params, "apiGroup");
                                }
                                text += "/" + Json.text(params, "name");
                            }
                            return List.of(Json.text(o, "spec", "controller"), text);
                        })
                .build();
    }

    public static KindStrategy networkPolicy(ResourceType type) {
        return SimpleStrategy.builder(type)
                .tracksGeneration()
                .defaults(o -> {
                    ObjectNode spec = Json.obj(o, "spec");
                    Json.defaultObj(spec, "podSelector");
                    if (Json.size(spec.get("policyTypes")) == 0) {
                        ArrayNode types = spec.putArray("policyTypes");
                        types.add("Ingress");
                        if (Json.size(spec.get("egress")) > 0) {
                            types.add("Egress");
                        }
                    }
                    for (String dir : List.of("ingress", "egress")) {
                        for (ObjectNode rule : Json.objects(spec.get(dir))) {
                            Json.objects(rule.get("ports")).forEach(p -> Json.defaultStr(p, "protocol", "TCP"));
                        }
                    }
                })
                .validate((o, errs) -> {
                    WorkloadRules.validateLabelSelector(Json.at(o, "spec", "podSelector"), "spec.podSelector", errs);
                    List<String> types = Json.strings(Json.at(o, "spec", "policyTypes"));
                    for (int i = 0; i < types.size(); i++) {
                        errs.oneOf("spec.policyTypes[" + i + "]", types.get(i), List.of("Egress", "Ingress"));
                    }
                })
                .table(List.of(Columns.str("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies.")),
                        (o, now) -> List.of(Selectors.formatLabelSelector(Json.at(o, "spec", "podSelector"))))
                .build();
    }
}
