package io.jk8s.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.validation.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An immutable label selector with upstream semantics ({@code k8s.io/apimachinery/pkg/labels}).
 * Requirements are ANDed and kept sorted by key, so {@link #toString()} is canonical.
 * {@link #nothing()} (a null {@code metav1.LabelSelector}) matches no object at all, whereas an empty
 * selector matches every object.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<LabelRequirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
        this.requirements = requirements.stream()
                .sorted(Comparator.comparing(LabelRequirement::key)).toList();
        this.nothing = nothing;
    }

    /** The selector that matches every label set. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** The selector that matches no label set (what a missing {@code selector} field means). */
    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** Parses the query-parameter syntax, e.g. {@code app=web,tier in (fe,be),!canary}. */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(LabelSelectorParser.parse(selector), false);
    }

    /** A selector equal to the given labels ({@code matchLabels} semantics). */
    public static LabelSelector fromMap(Map<String, String> labels) {
        List<LabelRequirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(requirement(k, Operator.EQUALS, List.of(v))));
        return new LabelSelector(reqs, false);
    }

    /**
     * Converts a {@code metav1.LabelSelector} ({@code matchLabels} and {@code matchExpressions} with
     * In/NotIn/Exists/DoesNotExist). JSON null or missing gives {@link #nothing()}; {@code {}} gives
     * {@link #everything()}, as upstream's {@code LabelSelectorAsSelector}.
     */
    public static LabelSelector fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NOTHING;
        }
        if (!node.isObject()) {
            throw new SelectorException("label selector must be an object");
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        JsonNode matchLabels = node.path("matchLabels");
        if (matchLabels.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                reqs.add(requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue().asText())));
            }
        }
        JsonNode expressions = node.path("matchExpressions");
        if (expressions.isArray()) {
            for (JsonNode expr : expressions) {
                String key = expr.path("key").asText("");
                List<String> values = new ArrayList<>();
                expr.path("values").forEach(v -> values.add(v.asText()));
                String op = expr.path("operator").asText("");
                Operator operator = switch (op) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new SelectorException("\"" + op + "\" is not a valid label selector operator");
                };
                reqs.add(requirement(key, operator, values));
            }
        }
        return new LabelSelector(reqs, false);
    }

    /** Builds one validated requirement, as upstream's {@code NewRequirement}. */
    static LabelRequirement requirement(String key, Operator op, List<String> values) {
        List<String> keyErrors = Names.labelKey(key);
        if (!keyErrors.isEmpty()) {
            throw new SelectorException("unable to parse requirement: key: Invalid value: \"" + key + "\": "
                    + String.join("; ", keyErrors));
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new SelectorException("unable to parse requirement: values: Invalid value: []: "
                            + "for 'in', 'notin' operators, values set can't be empty (key \"" + key + "\")");
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    throw new SelectorException("unable to parse requirement: values: Invalid value: " + values
                            + ": exact-match compatibility requires one single value (key \"" + key + "\")");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new SelectorException("unable to parse requirement: values: Invalid value: " + values
                            + ": values set must be empty for exists and does not exist (key \"" + key + "\")");
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    throw new SelectorException("unable to parse requirement: values: Invalid value: " + values
                            + ": for 'Gt', 'Lt' operators, exactly one value is required (key \"" + key + "\")");
                }
                try {
                    Long.parseLong(values.get(0));
                } catch (NumberFormatException e) {
                    throw new SelectorException("unable to parse requirement: values[0]: Invalid value: \""
                            + values.get(0) + "\": for 'Gt', 'Lt' operators, the value must be an integer");
                }
            }
        }
        if (op != Operator.GREATER_THAN && op != Operator.LESS_THAN) {
            for (int i = 0; i < values.size(); i++) {
                List<String> valueErrors = Names.labelValue(values.get(i));
                if (!valueErrors.isEmpty()) {
                    throw new SelectorException("unable to parse requirement: values[" + i + "][" + key
                            + "]: Invalid value: \"" + values.get(i) + "\": " + String.join("; ", valueErrors));
                }
            }
        }
        return new LabelRequirement(key, op, values);
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (LabelRequirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector has no requirements (an "everything" selector; also true for nothing()). */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** True for {@link #nothing()}. */
    public boolean matchesNothing() {
        return nothing;
    }

    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /**
     * The canonical selector string: requirements sorted by key and joined with ','; an empty selector
     * gives "" (parse(toString()) round-trips). See {@link #format()} for the display form.
     */
    @Override
    public String toString() {
        return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
    }

    /** As {@code metav1.FormatLabelSelector}: the canonical string, or {@code <none>} when empty. */
    public String format() {
        String s = toString();
        return s.isEmpty() ? "<none>" : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.nothing == nothing && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
    }
}
