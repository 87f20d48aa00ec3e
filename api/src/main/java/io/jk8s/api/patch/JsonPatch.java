package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch: add, remove, replace, move, copy and test. The input document is not modified;
 * the operations apply atomically (any failure throws and nothing is returned).
 */
public final class JsonPatch {

    private JsonPatch() {
    }

    /**
     * Applies {@code ops} (a JSON array of operation objects) to a copy of {@code doc}.
     *
     * @throws PatchException when the patch is malformed, a path does not exist, or a test fails
     */
    public static JsonNode apply(JsonNode doc, JsonNode ops) {
        if (ops == null || !ops.isArray()) {
            throw new PatchException("", "a JSON patch must be an array of operations");
        }
        JsonNode result = doc == null ? null : doc.deepCopy();
        int i = 0;
        for (JsonNode op : ops) {
            result = applyOne(result, op, i++);
        }
        return result;
    }

    private static JsonNode applyOne(JsonNode doc, JsonNode op, int index) {
        if (!op.isObject()) {
            throw new PatchException("[" + index + "]", "operation must be an object");
        }
        String name = requiredText(op, "op", index);
        JsonPointer path = JsonPointer.parse(requiredText(op, "path", index));
        return switch (name) {
            case "add" -> add(doc, path, requiredValue(op, index).deepCopy());
            case "remove" -> {
                remove(doc, path);
                yield path.isRoot() ? null : doc;
            }
            case "replace" -> {
                JsonNode value = requiredValue(op, index).deepCopy();
                if (path.isRoot()) {
                    yield value;
                }
                yield replace(doc, path, value);
            }
            case "move" -> {
                JsonPointer from = JsonPointer.parse(requiredText(op, "from", index));
                if (from.isPrefixOf(path)) {
                    throw new PatchException(path.text(), "cannot move a value into one of its children");
                }
                JsonNode value = get(doc, from);
                remove(doc, from);
                yield add(doc, path, value);
            }
            case "copy" -> {
                JsonPointer from = JsonPointer.parse(requiredText(op, "from", index));
                yield add(doc, path, get(doc, from).deepCopy());
            }
            case "test" -> {
                JsonNode expected = requiredValue(op, index);
                JsonNode actual = get(doc, path);
                if (!JsonValues.equal(actual, expected)) {
                    throw new PatchException(path.text(), "testing value " + actual + " failed: expected " + expected);
                }
                yield doc;
            }
            default -> throw new PatchException("[" + index + "]", "unexpected operation \"" + name + "\"");
        };
    }

    private static String requiredText(JsonNode op, String field, int index) {
        JsonNode v = op.get(field);
        if (v == null || !v.isTextual()) {
            throw new PatchException("[" + index + "]", "operation is missing string field \"" + field + "\"");
        }
        return v.asText();
    }

    private static JsonNode requiredValue(JsonNode op, int index) {
        JsonNode v = op.get("value");
        if (v == null) {
            throw new PatchException("[" + index + "]", "operation \"" + op.get("op").asText() + "\" needs a \"value\"");
        }
        return v;
    }

    private static JsonNode get(JsonNode doc, JsonPointer path) {
        JsonNode cur = doc;
        for (String token : path.tokens()) {
            if (cur != null && cur.isObject()) {
                cur = cur.get(token);
            } else if (cur != null && cur.isArray()) {
                int i = arrayIndex(token, cur.size() - 1, path);
                cur = cur.get(i);
            } else {
                cur = null;
            }
            if (cur == null) {
                throw new PatchException(path.text(), "path does not exist");
            }
        }
        if (cur == null) {
            throw new PatchException(path.text(), "path does not exist");
        }
        return cur;
    }

    private static JsonNode add(JsonNode doc, JsonPointer path, JsonNode value) {
        if (path.isRoot()) {
            return value;
        }
        JsonNode parent = get(doc, path.parent());
        String token = path.last();
        if (parent.isObject()) {
            ((ObjectNode) parent).set(token, value);
        } else if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            if (token.equals("-")) {
                array.add(value);
            } else {
                array.insert(arrayIndex(token, array.size(), path), value);
            }
        } else {
            throw new PatchException(path.text(), "parent is not a container");
        }
        return doc;
    }

    /** Replaces in place, so that an object member keeps its position. */
    private static JsonNode replace(JsonNode doc, JsonPointer path, JsonNode value) {
        JsonNode parent = get(doc, path.parent());
        String token = path.last();
        if (parent.isObject() && parent.has(token)) {
            ((ObjectNode) parent).set(token, value);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).set(arrayIndex(token, parent.size() - 1, path), value);
        } else {
            throw new PatchException(path.text(), "path does not exist");
        }
        return doc;
    }

    private static void remove(JsonNode doc, JsonPointer path) {
        if (path.isRoot()) {
            return;
        }
        JsonNode parent = get(doc, path.parent());
        String token = path.last();
        if (parent.isObject()) {
            if (!parent.has(token)) {
                throw new PatchException(path.text(), "path does not exist");
            }
            ((ObjectNode) parent).remove(token);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(arrayIndex(token, parent.size() - 1, path));
        } else {
            throw new PatchException(path.text(), "path does not exist");
        }
    }

    /** A decimal array index without leading zeros, at most {@code max}. */
    private static int arrayIndex(String token, int max, JsonPointer path) {
        if (!token.matches("0|[1-9][0-9]{0,8}")) {
            throw new PatchException(path.text(), "invalid array index \"" + token + "\"");
        }
        int i = Integer.parseInt(token);
        if (i > max) {
            throw new PatchException(path.text(), "array index " + i + " out of bounds");
        }
        return i;
    }
}
