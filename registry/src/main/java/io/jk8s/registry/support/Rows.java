package io.jk8s.registry.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Cell helpers shared by printers. */
public final class Rows {

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Rows() {
    }

    public static String name(JsonNode obj) {
        return Json.text(obj, "metadata", "name");
    }

    public static String age(JsonNode obj, Instant now) {
        return HumanDuration.since(Json.str(obj, "metadata", "creationTimestamp"), now);
    }

    /** The creation time itself (RFC 3339, UTC), for "Created At" columns. */
    public static String createdAt(JsonNode obj) {
        Instant t = HumanDuration.parse(Json.str(obj, "metadata", "creationTimestamp"));
        return t == null ? "<unknown>" : RFC3339.format(t);
    }

    /** Comma-joined container names of a pod spec. */
    public static String containerNames(JsonNode podSpec) {
        List<String> out = new ArrayList<>();
        Json.objects(Json.at(podSpec, "containers")).forEach(c -> out.add(Json.text(c, "name")));
        return String.join(",", out);
    }

    public static String containerImages(JsonNode podSpec) {
        List<String> out = new ArrayList<>();
        Json.objects(Json.at(podSpec, "containers")).forEach(c -> out.add(Json.text(c, "image")));
        return String.join(",", out);
    }

    public static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    /** Joins at most {@code max} items, then "+ N more..." as upstream's list printers do; {@code empty} when none. */
    public static String listWithMore(List<String> items, int max, String empty) {
        if (items.isEmpty()) {
            return empty;
        }
        if (items.size() <= max) {
            return String.join(",", items);
        }
        return String.join(",", items.subList(0, max)) + " + " + (items.size() - max) + " more...";
    }
}
