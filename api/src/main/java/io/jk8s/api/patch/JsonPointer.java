package io.jk8s.api.patch;

import java.util.ArrayList;
import java.util.List;

/** RFC 6901 JSON pointer, split into unescaped reference tokens. */
record JsonPointer(String text, List<String> tokens) {

    static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return new JsonPointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw new PatchException(text, "JSON pointer must be empty or start with '/'");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return new JsonPointer(text, List.copyOf(tokens));
    }

    boolean isRoot() {
        return tokens.isEmpty();
    }

    JsonPointer parent() {
        int cut = text.lastIndexOf('/');
        return new JsonPointer(text.substring(0, cut), tokens.subList(0, tokens.size() - 1));
    }

    String last() {
        return tokens.get(tokens.size() - 1);
    }

    boolean isPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }
}
