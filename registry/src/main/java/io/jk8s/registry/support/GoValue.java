package io.jk8s.registry.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A value rendered the way upstream's field errors print non-string Go values ({@code %#v}),
 * e.g. {@code map[string]string{"app":"web"}}; its {@link #toString()} is that rendering.
 */
public record GoValue(String rendered) {

    @Override
    public String toString() {
        return rendered;
    }

    public static GoValue labels(JsonNode map) {
        return new GoValue(Selectors.goMap(Json.stringMap(map)));
    }

    /** A {@code metav1.LabelSelector} as {@code v1.LabelSelector{MatchLabels:..., MatchExpressions:...}}. */
    public static GoValue selector(JsonNode selector) {
        if (!Json.present(selector)) {
            return new GoValue("(*v1.LabelSelector)(nil)");
        }
        String labels = Json.size(selector.get("matchLabels")) == 0 ? "map[string]string(nil)"
                : Selectors.goMap(Json.stringMap(selector.get("matchLabels")));
        List<String> exprs = new ArrayList<>();
        for (JsonNode e : Json.objects(selector.get("matchExpressions"))) {
            List<String> values = new ArrayList<>();
            Json.strings(e.get("values")).forEach(v -> values.add("\"" + v + "\""));
            exprs.add("v1.LabelSelectorRequirement{Key:\"" + Json.text(e, "key") + "\", Operator:\"" + Json.text(e, "operator")
                    + "\", Values:[]string{" + String.join(", ", values) + "}}");
        }
        String expressions = exprs.isEmpty() ? "[]v1.LabelSelectorRequirement(nil)"
                : "[]v1.LabelSelectorRequirement{" + String.join(", ", exprs) + "}";
        return new GoValue("v1.LabelSelector{MatchLabels:" + labels + ", MatchExpressions:" + expressions + "}");
    }

    /** A string list as {@code []string{"a", "b"}}. */
    public static GoValue strings(JsonNode list) {
        List<String> quoted = new ArrayList<>();
        Json.strings(list).forEach(v -> quoted.add("\"" + v + "\""));
        return new GoValue("[]string{" + String.join(", ", quoted) + "}");
    }

    /** Any JSON value: strings quoted, numbers plain, containers as compact JSON. */
    public static Object of(JsonNode node) {
        if (!Json.present(node)) {
            return new GoValue("nil");
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        return new GoValue(node.toString());
    }
}
