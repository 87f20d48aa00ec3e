package io.jk8s.api.selector;

import java.util.List;
import java.util.Map;

/**
 * One term of a label selector. Values are sorted and de-duplicated (as upstream), so that
 * {@link #toString()} is canonical.
 *
 * @param key      label key
 * @param operator how the label is compared
 * @param values   empty for EXISTS/DOES_NOT_EXIST, one value for (not-)equals and gt/lt
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

    public LabelRequirement {
        values = values.stream().distinct().sorted().toList();
    }

    public boolean matches(Map<String, String> labels) {
        boolean has = labels.containsKey(key);
        String actual = labels.get(key);
        return switch (operator) {
            case EQUALS, DOUBLE_EQUALS, IN -> has && values.contains(actual);
            case NOT_EQUALS, NOT_IN -> !has || !values.contains(actual);
            case EXISTS -> has;
            case DOES_NOT_EXIST -> !has;
            case GREATER_THAN, LESS_THAN -> has && compares(actual);
        };
    }

    private boolean compares(String actual) {
        long have;
        try {
            have = Long.parseLong(actual);
        } catch (NumberFormatException e) {
            return false; // upstream: a non-integer label never matches gt/lt
        }
        long bound = Long.parseLong(values.get(0));
        return operator == Operator.GREATER_THAN ? have > bound : have < bound;
    }

    /** Upstream's {@code Requirement.String()}: {@code a=b}, {@code a in (x,y)}, {@code !a}, {@code a>1}. */
    @Override
    public String toString() {
        return switch (operator) {
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case EQUALS -> key + "=" + values.get(0);
            case DOUBLE_EQUALS -> key + "==" + values.get(0);
            case NOT_EQUALS -> key + "!=" + values.get(0);
            case IN -> key + " in (" + String.join(",", values) + ")";
            case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
            case GREATER_THAN -> key + ">" + values.get(0);
            case LESS_THAN -> key + "<" + values.get(0);
        };
    }
}
