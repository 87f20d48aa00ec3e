package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side strategic merge patch with upstream semantics ({@code k8s.io/apimachinery/pkg/util/strategicpatch},
 * applied as the API server does: parallel deletion lists merged, unmatched nulls ignored).
 *
 * <ul>
 *   <li>maps merge recursively; {@code null} deletes a key;</li>
 *   <li>lists with strategy {@code merge} merge by their merge key (lists of objects) or as a set
 *       (lists of scalars, e.g. finalizers); other lists are replaced;</li>
 *   <li>{@code $patch: replace|delete} on a map, {@code {"$patch":"replace"}} and
 *       {@code {"<key>":..,"$patch":"delete"}} as list elements;</li>
 *   <li>{@code $retainKeys}, {@code $setElementOrder/<list>}, {@code $deleteFromPrimitiveList/<list>}.</li>
 * </ul>
 * Inputs are not modified.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StrategicMergePatch() {
    }

    /**
     * Applies {@code patch} (a JSON object) to a copy of {@code doc}.
     *
     * @param meta type metadata of the document; {@link PatchMeta#none()} for types without any
     * @throws PatchException for a malformed patch; the message names the path
     */
    public static JsonNode apply(JsonNode doc, JsonNode patch, PatchMeta meta) {
        if (patch == null || !patch.isObject()) {
            throw new PatchException("", "a strategic merge patch must be a JSON object");
        }
        ObjectNode original = doc != null && doc.isObject() ? ((ObjectNode) doc).deepCopy() : JSON.objectNode();
        return mergeMap(original, ((ObjectNode) patch).deepCopy(), meta == null ? PatchMeta.none() : meta, "");
    }

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchMeta meta, String path) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            String d = directive.asText();
            patch.remove(PATCH);
            switch (d) {
                case "replace":
                    return mergeMap(JSON.objectNode(), patch, meta, path);
                case "delete":
                    return JSON.objectNode();
                case "merge":
                    break;
                default:
                    throw new PatchException(path, "unknown patch type: " + directive + " in map");
            }
        }
        applyRetainKeys(original, patch, path);
        applySetElementOrders(original, patch, meta, path);
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, key.substring(DELETE_FROM_PRIMITIVE_LIST.length()), value, path);
                continue;
            }
            if (key.startsWith("$")) {
                throw new PatchException(join(path, key), "unknown directive \"" + key + "\"");
            }
            String childPath = join(path, key);
            PatchMeta child = meta.field(key);
            JsonNode existing = original.get(key);
            if (value.isNull()) {
                original.remove(key);
            } else if (existing == null || existing.isNull() || existing.getNodeType() != value.getNodeType()) {
                JsonNode fresh = fresh(value, child, childPath);
                if (fresh != null) {
                    original.set(key, fresh);
                }
            } else if (value.isObject()) {
                original.set(key, child.replaces() ? fresh(value, child, childPath)
                        : mergeMap((ObjectNode) existing, (ObjectNode) value, child, childPath));
            } else if (value.isArray()) {
                original.set(key, child.mergesList()
                        ? mergeList((ArrayNode) existing, (ArrayNode) value, child, childPath)
                        : value);
            } else {
                original.set(key, value);
            }
        }
        return original;
    }

    /**
     * A patch value for a key absent from the document: applied to an empty value so that directives never
     * reach the stored object. Returns null when nothing should be stored.
     */
    private static JsonNode fresh(JsonNode value, PatchMeta meta, String path) {
        if (value.isObject()) {
            if ("delete".equals(value.path(PATCH).asText(null))) {
                return null;
            }
            return mergeMap(JSON.objectNode(), (ObjectNode) value, meta, path);
        }
        if (value.isArray() && meta.mergesList()) {
            return mergeList(JSON.arrayNode(), (ArrayNode) value, meta, path);
        }
        return value;
    }

    private static void applyRetainKeys(ObjectNode original, ObjectNode patch, String path) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw new PatchException(join(path, RETAIN_KEYS), "invalid patch: $retainKeys must be a list of strings");
        }
        Set<String> keep = new HashSet<>();
        retain.forEach(k -> keep.add(k.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw new PatchException(join(path, RETAIN_KEYS),
                        "invalid patch: field \"" + k + "\" is in the patch but not in $retainKeys");
            }
        }
        original.retain(keep);
    }

    private static void applySetElementOrders(ObjectNode original, ObjectNode patch, PatchMeta meta, String path) {
        List<String> directives = new ArrayList<>();
        patch.fieldNames().forEachRemaining(k -> {
            if (k.startsWith(SET_ELEMENT_ORDER)) {
                directives.add(k);
            }
        });
        for (String directive : directives) {
            JsonNode order = patch.remove(directive);
            String key = directive.substring(SET_ELEMENT_ORDER.length());
            String listPath = join(path, key);
            if (key.isEmpty() || !order.isArray()) {
                throw new PatchException(join(path, directive), "invalid patch: $setElementOrder must be a list");
            }
            PatchMeta listMeta = meta.field(key);
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.remove(key);
            if (originalList != null && !originalList.isArray() || patchList != null && !patchList.isArray()) {
                throw new PatchException(listPath, "invalid patch: $setElementOrder applies to a list");
            }
            ArrayNode merged;
            if (originalList == null && patchList == null) {
                continue;
            } else if (patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (originalList == null) {
                JsonNode fresh = fresh(patchList, listMeta, listPath);
                merged = fresh == null ? JSON.arrayNode() : (ArrayNode) fresh;
            } else if (listMeta.mergesList()) {
                merged = mergeList((ArrayNode) originalList, (ArrayNode) patchList, listMeta, listPath);
            } else {
                merged = (ArrayNode) patchList;
            }
            String mergeKey = isListOfObjects(merged) ? listMeta.mergeKey() : null;
            if (isListOfObjects(merged) && mergeKey == null) {
                original.set(key, merged); // nothing to order by; keep merge result
                continue;
            }
            ArrayNode serverOrder = originalList == null ? JSON.arrayNode() : (ArrayNode) originalList;
            original.set(key, order(merged, (ArrayNode) order, serverOrder, mergeKey, listPath));
        }
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String key, JsonNode values, String path) {
        if (key.isEmpty() || !values.isArray()) {
            throw new PatchException(join(path, DELETE_FROM_PRIMITIVE_LIST + key),
                    "invalid patch: $deleteFromPrimitiveList must be a list of primitives");
        }
        JsonNode list = original.get(key);
        if (list == null || !list.isArray()) {
            return;
        }
        ArrayNode kept = JSON.arrayNode();
        for (JsonNode item : list) {
            boolean delete = false;
            for (JsonNode v : values) {
                delete |= JsonValues.equal(item, v);
            }
            if (!delete) {
                kept.add(item);
            }
        }
        original.set(key, kept);
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, PatchMeta meta, String path) {
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        boolean objects = isListOfObjects(original) || isListOfObjects(patch);
        if (!objects) {
            ArrayNode merged = original.deepCopy();
            for (JsonNode item : patch) {
                if (indexOf(merged, item, null) < 0) {
                    merged.add(item);
                }
            }
            return order(merged, patch, original, null, path);
        }
        String mergeKey = meta.mergeKey();
        if (mergeKey == null) {
            throw new PatchException(path, "cannot merge lists without merge key");
        }
        List<JsonNode> base = new ArrayList<>();
        original.forEach(base::add);
        ArrayNode plain = JSON.arrayNode();
        boolean replace = false;
        for (int i = 0; i < patch.size(); i++) {
            JsonNode item = patch.get(i);
            if (!item.isObject()) {
                throw new PatchException(path + "[" + i + "]", "list element types are not identical");
            }
            JsonNode directive = item.get(PATCH);
            if (directive == null) {
                plain.add(item);
                continue;
            }
            switch (directive.asText()) {
                case "delete" -> {
                    JsonNode keyValue = item.get(mergeKey);
                    if (keyValue == null) {
                        throw new PatchException(path + "[" + i + "]",
                                "map does not contain declared merge key: " + mergeKey);
                    }
                    base.removeIf(o -> JsonValues.equal(o.get(mergeKey), keyValue));
                }
                case "replace" -> replace = true;
                case "merge" -> throw new PatchException(path, "merging lists cannot yet be specified in the patch");
                default -> throw new PatchException(path + "[" + i + "]", "unknown patch type: " + directive);
            }
        }
        PatchMeta element = meta.elements();
        ArrayNode serverOrder = JSON.arrayNode();
        ArrayNode merged = JSON.arrayNode();
        if (replace) {
            for (int i = 0; i < plain.size(); i++) {
                merged.add(mergeMap(JSON.objectNode(), (ObjectNode) plain.get(i), element, path + "[" + i + "]"));
            }
            return merged;
        }
        base.forEach(serverOrder::add);
        base.forEach(merged::add);
        for (int i = 0; i < plain.size(); i++) {
            ObjectNode item = (ObjectNode) plain.get(i);
            JsonNode keyValue = item.get(mergeKey);
            if (keyValue == null) {
                throw new PatchException(path + "[" + i + "]", "map does not contain declared merge key: " + mergeKey);
            }
            int at = indexOf(merged, item, mergeKey);
            String itemPath = path + "[" + (at < 0 ? merged.size() : at) + "]";
            if (at >= 0) {
                merged.set(at, mergeMap((ObjectNode) merged.get(at), item, element, itemPath));
            } else {
                merged.add(mergeMap(JSON.objectNode(), item, element, itemPath));
            }
        }
        return order(merged, plain, serverOrder, mergeKey, path);
    }

    /**
     * Upstream's element order: items named in {@code patchOrder} keep that relative order, the others keep
     * their order in {@code serverOrder}, and the two sequences are interleaved by server position.
     */
    private static ArrayNode order(ArrayNode merged, ArrayNode patchOrder, ArrayNode serverOrder, String mergeKey,
                                   String path) {
        List<JsonNode> patchItems = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode item : merged) {
            if (mergeKey != null && item.get(mergeKey) == null) {
                throw new PatchException(path, "map does not contain declared merge key: " + mergeKey);
            }
            (indexOf(patchOrder, item, mergeKey) >= 0 ? patchItems : serverOnly).add(item);
        }
        patchItems.sort((a, b) -> Integer.compare(indexOf(patchOrder, a, mergeKey), indexOf(patchOrder, b, mergeKey)));
        ArrayNode result = JSON.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < patchItems.size()) {
            if (i >= serverOnly.size()) {
                result.add(patchItems.get(j++));
            } else if (j >= patchItems.size()) {
                result.add(serverOnly.get(i++));
            } else {
                int left = indexOf(serverOrder, serverOnly.get(i), mergeKey);
                int right = indexOf(serverOrder, patchItems.get(j), mergeKey);
                if (left >= 0 && right >= 0 && left < right) {
                    result.add(serverOnly.get(i++));
                } else {
                    result.add(patchItems.get(j++));
                }
            }
        }
        return result;
    }

    /** Position of {@code item} in {@code list}: by merge key value for objects, by value otherwise. */
    private static int indexOf(ArrayNode list, JsonNode item, String mergeKey) {
        JsonNode wanted = mergeKey == null ? item : item.get(mergeKey);
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (candidate != null && JsonValues.equal(candidate, wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isListOfObjects(ArrayNode list) {
        for (JsonNode item : list) {
            return item.isObject();
        }
        return false;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

}
