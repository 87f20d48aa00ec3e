package io.jk8s.registry.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label selectors as printed by kubectl and matched by the workload validators. */
public final class Selectors {

    private Selectors() {
    }

    /** Upstream's {@code labels.FormatLabels}: "a=1,b=2" sorted by key, "&lt;none&gt;" when empty. */
    public static String formatLabels(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>(Json.stringMap(map));
        if (sorted.isEmpty()) {
            return "<none>";
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /**
     * A {@code metav1.LabelSelector} as its selector string ("app=web,tier in (a,b)"), requirements sorted
     * by key; "&lt;none&gt;" for a missing or empty selector ({@code metav1.FormatLabelSelector}).
     */
    public static String formatLabelSelector(JsonNode selector) {
        if (!Json.present(selector)) {
            return "<none>";
        }
        TreeMap<String, List<String>> byKey = new TreeMap<>();
        Json.stringMap(selector.get("matchLabels")).forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(k + "=" + v));
        for (JsonNode expr : Json.objects(selector.get("matchExpressions"))) {
            String key = Json.text(expr, "key");
            List<String> values = new ArrayList<>(Json.strings(expr.get("values")));
            values.sort(null);
            String req = switch (Json.text(expr, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " ?";
            };
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(req);
        }
        List<String> parts = new ArrayList<>();
        byKey.values().forEach(parts::addAll);
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    /** True when a LabelSelector matches a label set (matchLabels and matchExpressions). */
    public static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : Json.stringMap(Json.at(selector, "matchLabels")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expr : Json.objects(Json.at(selector, "matchExpressions"))) {
            String key = Json.text(expr, "key");
            List<String> values = Json.strings(expr.get("values"));
            boolean ok = switch (Json.text(expr, "operator")) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector has neither matchLabels nor matchExpressions. */
    public static boolean isEmpty(JsonNode selector) {
        return Json.size(Json.at(selector, "matchLabels")) == 0 && Json.size(Json.at(selector, "matchExpressions")) == 0;
    }

    /** Go's {@code %#v} of a map[string]string, the way upstream prints label values in errors. */
    public static String goMap(Map<String, String> map) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(map).forEach((k, v) -> parts.add("\"" + k + "\":\"" + v + "\""));
        return "map[string]string{" + String.join(", ", parts) + "}";
    }
}
