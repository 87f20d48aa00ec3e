package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}): merges a manager's applied
 * configuration into the live object and keeps {@code metadata.managedFields} as upstream does for appliers.
 *
 * <ul>
 *   <li>the manager owns exactly the fields of its latest applied configuration (a {@link FieldSet});</li>
 *   <li>fields it applied before and no longer applies are removed, unless another manager owns them;</li>
 *   <li>applying a value to a field another manager owns with a different value is a conflict (409), unless
 *       {@code force}, which takes the field over;</li>
 *   <li>lists merge as the type says: associative lists by merge key, set lists by value, others atomically.</li>
 * </ul>
 * Deviation from upstream: only apply operations record ownership. Plain updates (PUT, the other patch types)
 * keep the recorded entries but add no {@code Update} entry of their own, so a field last changed by an
 * update is not protected from an applier's removal or overwrite. List keys are the strategic-merge keys
 * (a single field, e.g. {@code containerPort} where upstream keys ports by port and protocol).
 */
public final class ServerSideApply {

    /** Top-level fields that are never owned; status is owned only through the status subresource. */
    private static final Set<String> TYPE_FIELDS = Set.of("apiVersion", "kind");
    /** Metadata the server manages or that identifies the object. */
    private static final Set<String> IGNORED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ServerSideApply() {
    }

    /** A field whose value another manager set differently. */
    public record Conflict(String manager, String apiVersion, List<String> path) {
        public String field() {
            return FieldSet.describe(path);
        }
    }

    /** The apply conflicts with other managers; nothing was changed. */
    public static final class ConflictException extends RuntimeException {
        private final List<Conflict> conflicts;

        ConflictException(List<Conflict> conflicts) {
            super(message(conflicts));
            this.conflicts = List.copyOf(conflicts);
        }

        public List<Conflict> conflicts() {
            return conflicts;
        }

        /** Upstream's wording: {@code Apply failed with 1 conflict: conflict with "m" using v1: .data.k}. */
        private static String message(List<Conflict> conflicts) {
            Map<String, List<Conflict>> byManager = new LinkedHashMap<>();
            for (Conflict c : conflicts) byManager.computeIfAbsent(c.manager() + "\u0000" + c.apiVersion(), k -> new ArrayList<>()).add(c);
            StringBuilder b = new StringBuilder("Apply failed with ").append(conflicts.size())
                    .append(conflicts.size() == 1 ? " conflict: " : " conflicts: ");
            List<String> groups = new ArrayList<>();
            for (List<Conflict> group : byManager.values()) {
                Conflict first = group.getFirst();
                if (group.size() == 1) {
                    groups.add("conflict with \"" + first.manager() + "\" using " + first.apiVersion() + ": " + first.field());
                } else {
                    StringBuilder g = new StringBuilder("conflicts with \"" + first.manager() + "\" using " + first.apiVersion() + ":");
                    group.forEach(c -> g.append("\n- ").append(c.field()));
                    groups.add(g.toString());
                }
            }
            return b.append(String.join("\n", groups)).toString();
        }
    }

    /**
     * @param live        the stored object, or null when the apply creates it
     * @param applied     the manager's configuration (apiVersion, kind, metadata.name, the fields it wants)
     * @param meta        the type's merge metadata
     * @param subresource null for the object, "status" for the status subresource
     * @param now         RFC 3339 time recorded in the manager's entry
     * @return the object to store, with {@code metadata.managedFields} updated
     * @throws ConflictException when another manager owns an applied field with another value and not {@code force}
     */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, PatchMeta meta, String manager, boolean force,
                                   String subresource, String now) {
        ObjectNode config = applied.deepCopy();
        if (config.get("metadata") instanceof ObjectNode m) m.remove("managedFields");
        FieldSet owned = FieldSet.of(config, meta, ignoredTopLevel(config, subresource), IGNORED_METADATA);

        List<ObjectNode> entries = new ArrayList<>();
        JsonNode recorded = live == null ? null : live.path("metadata").get("managedFields");
        if (recorded != null && recorded.isArray()) {
            for (JsonNode e : recorded) if (e.isObject()) entries.add(((ObjectNode) e).deepCopy());
        }
        int own = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (isEntryOf(entries.get(i), manager, subresource)) own = i;
        }
        FieldSet previous = own < 0 ? new FieldSet() : FieldSet.fromFieldsV1(entries.get(own).get("fieldsV1"));

        // Conflicts: another manager owns a field this apply sets to a different value.
        List<Conflict> conflicts = new ArrayList<>();
        Map<Integer, FieldSet> otherSets = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            if (i != own) otherSets.put(i, FieldSet.fromFieldsV1(entries.get(i).get("fieldsV1")));
        }
        List<List<String>> appliedPaths = owned.paths();
        for (var other : otherSets.entrySet()) {
            ObjectNode entry = entries.get(other.getKey());
            for (List<String> path : appliedPaths) {
                if (!other.getValue().contains(path) || isElement(path)) continue;
                if (!Objects.equals(valueAt(live, path), valueAt(config, path))) {
                    conflicts.add(new Conflict(entry.path("manager").asText(""), entry.path("apiVersion").asText(""), path));
                    other.getValue().remove(path); // kept only when forced: the field changes hands
                }
            }
        }
        if (!conflicts.isEmpty() && !force) throw new ConflictException(conflicts);

        ObjectNode merged = live == null ? config : (ObjectNode) mergeValue(live, config, meta);
        FieldSet ownedByOthers = new FieldSet();
        otherSets.values().forEach(s -> s.paths().forEach(ownedByOthers::add));
        for (List<String> path : previous.paths()) {
            if (!owned.containsOrCovers(path) && !ownedByOthers.containsOrCovers(path)) remove(merged, path);
        }

        ObjectNode ownEntry = null;
        if (!owned.isEmpty()) {
            ownEntry = JSON.objectNode();
            ownEntry.put("manager", manager);
            ownEntry.put("operation", "Apply");
            ownEntry.put("apiVersion", config.path("apiVersion").asText(""));
            ownEntry.put("time", now);
            ownEntry.put("fieldsType", "FieldsV1");
            ownEntry.set("fieldsV1", owned.toFieldsV1());
            if (subresource != null) ownEntry.put("subresource", subresource);
        }
        List<ObjectNode> next = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (i == own) {
                if (ownEntry != null) next.add(ownEntry);
                continue;
            }
            FieldSet set = otherSets.get(i);
            if (set.isEmpty()) continue; // every field it had was taken over
            ObjectNode e = entries.get(i);
            e.set("fieldsV1", set.toFieldsV1());
            next.add(e);
        }
        if (own < 0 && ownEntry != null) next.add(ownEntry);
        ObjectNode metadata = merged.get("metadata") instanceof ObjectNode m ? m : merged.putObject("metadata");
        if (next.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            ArrayNode list = metadata.putArray("managedFields");
            next.forEach(list::add);
        }
        return merged;
    }

    private static Set<String> ignoredTopLevel(ObjectNode config, String subresource) {
        Set<String> ignored = new java.util.HashSet<>(TYPE_FIELDS);
        if (subresource == null) {
            ignored.add("status");
        } else {
            config.fieldNames().forEachRemaining(f -> {
                if (!f.equals(subresource)) ignored.add(f);
            });
        }
        return ignored;
    }

    private static boolean isEntryOf(JsonNode entry, String manager, String subresource) {
        String sub = entry.path("subresource").asText("");
        return manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())
                && sub.equals(subresource == null ? "" : subresource);
    }

    /** A list element's own membership: its fields conflict, the element itself does not. */
    private static boolean isElement(List<String> path) {
        String last = path.getLast();
        return last.startsWith("k:") || last.startsWith("v:");
    }

    static JsonNode mergeValue(JsonNode live, JsonNode applied, PatchMeta meta) {
        if (applied.isObject() && live != null && live.isObject() && !meta.replaces()) {
            ObjectNode out = ((ObjectNode) live).deepCopy();
            applied.fields().forEachRemaining(e -> out.set(e.getKey(), mergeValue(live.get(e.getKey()), e.getValue(), meta.field(e.getKey()))));
            return out;
        }
        if (applied.isArray() && live != null && live.isArray()) {
            ListKind kind = ListKind.of(meta, applied);
            if (kind == ListKind.ASSOCIATIVE && ListKind.of(meta, live) == ListKind.ASSOCIATIVE) {
                ArrayNode out = ((ArrayNode) live).deepCopy();
                String key = meta.mergeKey();
                for (JsonNode a : applied) {
                    int at = indexOfKey(out, key, a.get(key));
                    if (at >= 0) out.set(at, mergeValue(out.get(at), a, meta.elements()));
                    else out.add(a.deepCopy());
                }
                return out;
            }
            if (kind == ListKind.SET && ListKind.of(meta, live) == ListKind.SET) {
                ArrayNode out = ((ArrayNode) live).deepCopy();
                for (JsonNode a : applied) {
                    if (indexOfValue(out, a) < 0) out.add(a.deepCopy());
                }
                return out;
            }
        }
        return applied.deepCopy();
    }

    /** The value at {@code path}, or null when the object has none there. */
    static JsonNode valueAt(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (String pe : path) {
            if (node == null) return null;
            node = step(node, pe);
        }
        return node;
    }

    private static JsonNode step(JsonNode node, String pe) {
        if (pe.startsWith("f:")) return node.isObject() ? node.get(pe.substring(2)) : null;
        if (!node.isArray()) return null;
        if (pe.startsWith("k:")) {
            int at = indexOfKeys((ArrayNode) node, ListKind.parse(pe.substring(2)));
            return at < 0 ? null : node.get(at);
        }
        if (pe.startsWith("v:")) {
            int at = indexOfValue((ArrayNode) node, ListKind.parse(pe.substring(2)));
            return at < 0 ? null : node.get(at);
        }
        return null;
    }

    /** Removes what {@code path} names (a field, a list element, a set value); nothing when it is not there. */
    static void remove(JsonNode root, List<String> path) {
        JsonNode parent = valueAt(root, path.subList(0, path.size() - 1));
        if (parent == null) return;
        String pe = path.getLast();
        if (pe.startsWith("f:") && parent instanceof ObjectNode o) {
            o.remove(pe.substring(2));
        } else if (pe.startsWith("k:") && parent instanceof ArrayNode a) {
            int at = indexOfKeys(a, ListKind.parse(pe.substring(2)));
            if (at >= 0) a.remove(at);
        } else if (pe.startsWith("v:") && parent instanceof ArrayNode a) {
            int at = indexOfValue(a, ListKind.parse(pe.substring(2)));
            if (at >= 0) a.remove(at);
        }
    }

    private static int indexOfKey(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (Objects.equals(list.get(i).get(key), value)) return i;
        }
        return -1;
    }

    private static int indexOfKeys(ArrayNode list, JsonNode keys) {
        if (keys == null || !keys.isObject()) return -1;
        outer:
        for (int i = 0; i < list.size(); i++) {
            var it = keys.fields();
            while (it.hasNext()) {
                var k = it.next();
                if (!Objects.equals(list.get(i).get(k.getKey()), k.getValue())) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static int indexOfValue(ArrayNode list, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (Objects.equals(list.get(i), value)) return i;
        }
        return -1;
    }
}
