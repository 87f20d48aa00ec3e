package io.jk8s.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.json.Json;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery documents derived from the registry: legacy ({@code /api}, {@code /apis},
 * {@code /apis/<g>}, {@code /apis/<g>/<v>}) and aggregated v2 ({@code APIGroupDiscoveryList}).
 * Built once: the set of types does not change while the server runs.
 */
public final class Discovery {

    /** Verbs, kind and group/version of the subresources this server knows. */
    private record Sub(String kind, String group, String version, List<String> verbs) {}

    private static final Map<String, Sub> SUBRESOURCES = Map.ofEntries(
            Map.entry("status", new Sub(null, null, null, List.of("get", "patch", "update"))),
            Map.entry("scale", new Sub("Scale", "autoscaling", "v1", List.of("get", "patch", "update"))),
            Map.entry("binding", new Sub("Binding", "", "v1", List.of("create"))),
            Map.entry("eviction", new Sub("Eviction", "policy", "v1", List.of("create"))),
            Map.entry("log", new Sub("Pod", "", "v1", List.of("get"))),
            Map.entry("exec", new Sub("PodExecOptions", "", "v1", List.of("create", "get"))),
            Map.entry("attach", new Sub("PodAttachOptions", "", "v1", List.of("create", "get"))),
            Map.entry("portforward", new Sub("PodPortForwardOptions", "", "v1", List.of("create", "get"))),
            Map.entry("proxy", new Sub(null, "", "v1", List.of("create", "delete", "get", "head", "options", "patch", "put"))),
            Map.entry("finalize", new Sub(null, null, null, List.of("update"))),
            Map.entry("token", new Sub("TokenRequest", "authentication.k8s.io", "v1", List.of("create"))));

    /** group -> version -> types, groups in registry order, versions by preference. */
    private final Map<String, Map<String, List<ResourceType>>> groups = new LinkedHashMap<>();

    public Discovery(ResourceRegistry registry) {
        for (KindStrategy s : registry.all()) {
            ResourceType t = s.type();
            groups.computeIfAbsent(t.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(t.version(), v -> new ArrayList<>()).add(t);
        }
    }

    /** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
    static final Comparator<String> VERSION_PRIORITY = Comparator.comparingInt(Discovery::versionRank).reversed();

    private static int versionRank(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?").matcher(v);
        if (!m.matches()) return 0;
        int major = Integer.parseInt(m.group(1));
        int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return stage * 1_000_000 + major * 1_000 + minor;
    }

    private List<String> versions(String group) {
        List<String> vs = new ArrayList<>(groups.getOrDefault(group, Map.of()).keySet());
        vs.sort(VERSION_PRIORITY);
        return vs;
    }

    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        ArrayNode vs = o.putArray("versions");
        versions("").forEach(vs::add);
        ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return o;
    }

    public ObjectNode apiGroupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode gs = o.putArray("groups");
        for (String g : groups.keySet()) {
            if (!g.isEmpty()) gs.add(apiGroup(g).orElseThrow());
        }
        return o;
    }

    public Optional<ObjectNode> apiGroup(String group) {
        if (group.isEmpty() || !groups.containsKey(group)) return Optional.empty();
        ObjectNode o = Json.object();
        o.put("kind", "APIGroup");
        o.put("apiVersion", "v1");
        o.put("name", group);
        ArrayNode vs = o.putArray("versions");
        List<String> versions = versions(group);
        for (String v : versions) {
            vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        o.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        return Optional.of(o);
    }

    public Optional<ObjectNode> apiResourceList(String group, String version) {
        List<ResourceType> types = groups.getOrDefault(group, Map.of()).get(version);
        if (types == null) return Optional.empty();
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode rs = o.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = rs.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            strings(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) strings(r.putArray("shortNames"), t.shortNames());
            if (!t.categories().isEmpty()) strings(r.putArray("categories"), t.categories());
            for (String sub : t.subresources().stream().sorted().toList()) {
                Sub info = SUBRESOURCES.getOrDefault(sub, new Sub(null, null, null, List.of("get")));
                ObjectNode sr = rs.addObject();
                sr.put("name", t.plural() + "/" + sub);
                sr.put("singularName", "");
                sr.put("namespaced", t.namespaced());
                if (info.group() != null && !info.group().equals(t.group())) sr.put("group", info.group());
                if (info.version() != null && !(info.group() != null && info.group().equals(t.group()) && info.version().equals(t.version()))) {
                    sr.put("version", info.version());
                }
                sr.put("kind", info.kind() == null ? t.kind() : info.kind());
                strings(sr.putArray("verbs"), info.verbs());
            }
        }
        return Optional.of(o);
    }

    /** Aggregated discovery v2 for {@code /api} (core only) or {@code /apis} (all named groups). */
    public ObjectNode aggregated(boolean core) {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupDiscoveryList");
        o.put("apiVersion", "apidiscovery.k8s.io/v2");
        o.putObject("metadata");
        ArrayNode items = o.putArray("items");
        for (String g : groups.keySet()) {
            if (g.isEmpty() != core) continue;
            ObjectNode gd = items.addObject();
            ObjectNode meta = gd.putObject("metadata");
            if (!g.isEmpty()) meta.put("name", g);
            ArrayNode vs = gd.putArray("versions");
            for (String v : versions(g)) {
                ObjectNode vd = vs.addObject();
                vd.put("version", v);
                ArrayNode rs = vd.putArray("resources");
                for (ResourceType t : groups.get(g).get(v)) {
                    ObjectNode r = rs.addObject();
                    r.put("resource", t.plural());
                    r.putObject("responseKind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
                    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
                    r.put("singularResource", t.singular());
                    strings(r.putArray("verbs"), t.verbs());
                    if (!t.shortNames().isEmpty()) strings(r.putArray("shortNames"), t.shortNames());
                    if (!t.categories().isEmpty()) strings(r.putArray("categories"), t.categories());
                    if (!t.subresources().isEmpty()) {
                        ArrayNode subs = r.putArray("subresources");
                        for (String sub : t.subresources().stream().sorted().toList()) {
                            Sub info = SUBRESOURCES.getOrDefault(sub, new Sub(null, null, null, List.of("get")));
                            ObjectNode sd = subs.addObject();
                            sd.put("subresource", sub);
                            sd.putObject("responseKind")
                                    .put("group", info.group() == null ? t.group() : info.group())
                                    .put("version", info.version() == null ? t.version() : info.version())
                                    .put("kind", info.kind() == null ? t.kind() : info.kind());
                            strings(sd.putArray("verbs"), info.verbs());
                        }
                    }
                }
                vd.put("freshness", "Current");
            }
        }
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    public static ObjectNode version() {
        ObjectNode o = Json.object();
        o.put("major", "1");
        o.put("minor", "32");
        o.put("gitVersion", "v1.32.3-jk8s");
        o.put("gitCommit", "0000000000000000000000000000000000000000");
        o.put("gitTreeState", "clean");
        o.put("buildDate", "2026-11-23T00:00:00Z");
        o.put("goVersion", "java" + Runtime.version().feature());
        o.put("compiler", "javac");
        o.put("platform", "linux/amd64");
        return o;
    }
}
