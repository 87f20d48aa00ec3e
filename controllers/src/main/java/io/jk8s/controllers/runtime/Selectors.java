package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.Map;

/** meta/v1 LabelSelector matching: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
public final class Selectors {

    private Selectors() {
    }

    /** Whether {@code selector} selects {@code labels}; a null selector selects nothing, an empty one everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) return false;
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) return false;
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) return false;
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String v = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> v != null && r.getValues() != null && r.getValues().contains(v);
            case "NotIn" -> v == null || r.getValues() == null || !r.getValues().contains(v);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
        };
    }

    /** Whether {@code selector} selects nothing at all (upstream: an empty selector on a workload matches nothing). */
    public static boolean isEmpty(LabelSelector selector) {
        return selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
    }
}
