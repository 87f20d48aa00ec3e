package io.jk8s.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small null-tolerant accessors over Jackson trees. An explicit JSON {@code null} is treated like an
 * absent field, as Go's decoder does for pointers and omitempty fields.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** Follows object fields; never null (a missing step yields {@link MissingNode}). */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode cur = node == null ? MissingNode.getInstance() : node;
        for (String key : path) {
            cur = cur.path(key);
        }
        return cur;
    }

    public static boolean present(JsonNode node) {
        return node != null && !node.isMissingNode() && !node.isNull();
    }

    public static boolean has(JsonNode node, String... path) {
        return present(at(node, path));
    }

    /** Text of a scalar, or null when absent/null. Numbers and booleans are rendered as text. */
    public static String str(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (!present(n) || n.isContainerNode()) {
            return null;
        }
        return n.asText();
    }

    /** A decimal integer, capped at {@link Long#MAX_VALUE} when it overflows; null when not digits. */
    public static Long parseDigits(String text) {
        if (text == null || !text.matches("[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Text of a scalar, or "" when absent (Go's zero value). */
    public static String text(JsonNode node, String... path) {
        String s = str(node, path);
        return s == null ? "" : s;
    }

    /** An integral value, or null when absent or not a number. */
    public static Long longOrNull(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return present(n) && n.isNumber() ? n.asLong() : null;
    }

    public static long longOr(JsonNode node, long dflt, String... path) {
        Long v = longOrNull(node, path);
        return v == null ? dflt : v;
    }

    public static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return present(n) && n.asBoolean(false);
    }

    /** The object at {@code key}, created (replacing null or a scalar) when missing. */
    public static ObjectNode obj(ObjectNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(key);
    }

    /** The array at {@code key}, created when missing. */
    public static ArrayNode arr(ObjectNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n instanceof ArrayNode a) {
            return a;
        }
        return parent.putArray(key);
    }

    /** The object at a path if every step exists as an object, else null. */
    public static ObjectNode objAt(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n instanceof ObjectNode o ? o : null;
    }

    public static boolean missing(ObjectNode n, String key) {
        return !present(n.get(key));
    }

    public static void defaultStr(ObjectNode n, String key, String value) {
        if (missing(n, key) || (n.get(key).isTextual() && n.get(key).asText().isEmpty())) {
            n.put(key, value);
        }
    }

    /** Stores an int when it fits, as Jackson does when parsing, so that defaulted and parsed trees compare equal. */
    public static void defaultLong(ObjectNode n, String key, long value) {
        if (missing(n, key)) {
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                n.put(key, (int) value);
            } else {
                n.put(key, value);
            }
        }
    }

    /** Deep equality where numbers compare by value (an int 30 equals a long 30); missing and null are equal. */
    public static boolean same(JsonNode a, JsonNode b) {
        if (!present(a) || !present(b)) {
            return !present(a) && !present(b);
        }
        return a.equals(NUMERIC_BY_VALUE, b);
    }

    private static final java.util.Comparator<JsonNode> NUMERIC_BY_VALUE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    };

    public static void defaultBool(ObjectNode n, String key, boolean value) {
        if (missing(n, key)) {
            n.put(key, value);
        }
    }

    public static void defaultObj(ObjectNode n, String key) {
        if (!(n.get(key) instanceof ObjectNode)) {
            n.putObject(key);
        }
    }

    /** Object elements of an array (non-objects skipped); empty when absent. */
    public static List<ObjectNode> objects(JsonNode array) {
        List<ObjectNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode e : array) {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** Text elements of an array; empty when absent. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode e : array) {
                if (e.isValueNode() && !e.isNull()) {
                    out.add(e.asText());
                }
            }
        }
        return out;
    }

    /** A string map (labels, selectors, data) in document order; empty when absent. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return out;
    }

    public static int size(JsonNode node) {
        return node != null && node.isContainerNode() ? node.size() : 0;
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }

    /** Copies {@code key} from {@code from} into {@code to}, removing it from {@code to} when absent in {@code from}. */
    public static void copyField(ObjectNode to, JsonNode from, String key) {
        JsonNode v = from == null ? null : from.get(key);
        if (v == null) {
            to.remove(key);
        } else {
            to.set(key, v.deepCopy());
        }
    }
}
