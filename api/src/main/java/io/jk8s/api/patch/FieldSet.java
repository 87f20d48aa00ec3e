package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A set of field paths of an object, as server-side apply records who owns what, in upstream's
 * {@code FieldsV1} encoding. A path is a list of path elements: {@code f:<field>} (a field of an object or
 * a key of a map), {@code k:<json>} (the element of an associative list whose merge key has that value, e.g.
 * {@code k:{"name":"web"}}) and {@code v:<json>} (a value of a set-like list, e.g. a finalizer).
 *
 * <p>Members are the leaves of an applied configuration (scalars, atomic lists, empty objects) and the
 * elements of associative and set lists; an object merely containing members is not one itself. In
 * {@code FieldsV1} a member with members below it carries a {@code ".": {}} entry.
 */
public final class FieldSet {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Ordered so that the encoding is stable (and readable in {@code kubectl get --show-managed-fields}). */
    private final Map<String, FieldSet> children = new TreeMap<>();
    private boolean member;

    public FieldSet() {
    }

    /** The set of an applied object's fields, skipping the top-level fields in {@code ignored} (e.g. "kind"). */
    public static FieldSet of(ObjectNode applied, PatchMeta meta, java.util.Set<String> ignoredTopLevel,
                              java.util.Set<String> ignoredMetadata) {
        FieldSet set = new FieldSet();
        Iterator<Map.Entry<String, JsonNode>> it = applied.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (ignoredTopLevel.contains(e.getKey())) continue;
            FieldSet child = set.child("f:" + e.getKey());
            if (e.getKey().equals("metadata") && e.getValue().isObject()) {
                Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields();
                while (m.hasNext()) {
                    Map.Entry<String, JsonNode> f = m.next();
                    if (!ignoredMetadata.contains(f.getKey())) {
                        child.child("f:" + f.getKey()).collect(f.getValue(), meta.field("metadata").field(f.getKey()));
                    }
                }
                if (child.children.isEmpty()) set.children.remove("f:metadata");
            } else {
                child.collect(e.getValue(), meta.field(e.getKey()));
            }
        }
        return set;
    }

    private void collect(JsonNode value, PatchMeta meta) {
        if (value.isObject() && !meta.replaces()) {
            if (value.isEmpty()) {
                member = true;
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                child("f:" + e.getKey()).collect(e.getValue(), meta.field(e.getKey()));
            }
        } else if (value.isArray() && ListKind.of(meta, value) == ListKind.ASSOCIATIVE) {
            member = member || value.isEmpty();
            for (JsonNode element : value) {
                FieldSet item = child(ListKind.keyElement(element, meta.mergeKey()));
                item.member = true;
                item.collect(element, meta.elements());
            }
        } else if (value.isArray() && ListKind.of(meta, value) == ListKind.SET) {
            member = member || value.isEmpty();
            for (JsonNode element : value) child(ListKind.valueElement(element)).member = true;
        } else {
            member = true;
        }
    }

    private FieldSet child(String pathElement) {
        return children.computeIfAbsent(pathElement, k -> new FieldSet());
    }

    /** Reads a {@code fieldsV1} object; anything else gives the empty set. */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        FieldSet set = new FieldSet();
        if (fieldsV1 != null && fieldsV1.isObject()) set.read((ObjectNode) fieldsV1);
        return set;
    }

    private void read(ObjectNode node) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                member = true;
                continue;
            }
            FieldSet child = child(e.getKey());
            if (e.getValue().isObject() && !e.getValue().isEmpty()) child.read((ObjectNode) e.getValue());
            else child.member = true;
        }
    }

    public ObjectNode toFieldsV1() {
        ObjectNode out = JSON.objectNode();
        if (member && !children.isEmpty()) out.putObject(".");
        children.forEach((pe, child) -> out.set(pe, child.toFieldsV1()));
        return out;
    }

    public boolean isEmpty() {
        return !member && children.values().stream().allMatch(FieldSet::isEmpty);
    }

    public boolean contains(List<String> path) {
        FieldSet node = this;
        for (String pe : path) {
            node = node.children.get(pe);
            if (node == null) return false;
        }
        return node.member;
    }

    /** True when {@code path} is a member or has members below it. */
    public boolean containsOrCovers(List<String> path) {
        FieldSet node = this;
        for (String pe : path) {
            node = node.children.get(pe);
            if (node == null) return false;
        }
        return !node.isEmpty();
    }

    /** Every member path, parents before their children. */
    public List<List<String>> paths() {
        List<List<String>> out = new ArrayList<>();
        walk(new ArrayList<>(), out::add);
        return out;
    }

    private void walk(List<String> prefix, Consumer<List<String>> sink) {
        if (member && !prefix.isEmpty()) sink.accept(List.copyOf(prefix));
        for (Map.Entry<String, FieldSet> e : children.entrySet()) {
            prefix.add(e.getKey());
            e.getValue().walk(prefix, sink);
            prefix.removeLast();
        }
    }

    public void add(List<String> path) {
        FieldSet node = this;
        for (String pe : path) node = node.child(pe);
        node.member = true;
    }

    public void remove(List<String> path) {
        FieldSet node = this;
        List<FieldSet> trail = new ArrayList<>();
        for (String pe : path) {
            trail.add(node);
            node = node.children.get(pe);
            if (node == null) return;
        }
        node.member = false;
        // Drop the branches left without members, so the encoding stays minimal.
        for (int i = path.size() - 1; i >= 0; i--) {
            FieldSet parent = trail.get(i);
            FieldSet child = parent.children.get(path.get(i));
            if (child.member || !child.children.isEmpty()) break;
            parent.children.remove(path.get(i));
        }
    }

    /** {@code field.sub[name=x].image}-like rendering of a path, as upstream names fields in conflicts. */
    public static String describe(List<String> path) {
        StringBuilder b = new StringBuilder();
        for (String pe : path) {
            if (pe.startsWith("f:")) b.append('.').append(pe.substring(2));
            else if (pe.startsWith("k:")) b.append('[').append(keyDescription(pe.substring(2))).append(']');
            else if (pe.startsWith("v:")) b.append("[=").append(pe.substring(2)).append(']');
            else b.append(pe);
        }
        return b.toString();
    }

    private static String keyDescription(String json) {
        JsonNode key = ListKind.parse(json);
        if (key == null || !key.isObject()) return json;
        List<String> parts = new ArrayList<>();
        key.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + (e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString())));
        return String.join(",", parts);
    }
}
