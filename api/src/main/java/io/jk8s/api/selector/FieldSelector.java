package io.jk8s.api.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A field selector with upstream semantics ({@code k8s.io/apimachinery/pkg/fields}): comma-separated
 * terms {@code f=v}, {@code f==v}, {@code f!=v}, ANDed. In values, {@code \\}, {@code \,} and {@code \=}
 * escape a backslash, comma and equals sign; any other escape, or a bare ',' or '=' in a value, is an error.
 * A missing field compares as the empty string.
 */
public final class FieldSelector {

    /** One term. {@code op} is one of EQUALS, DOUBLE_EQUALS, NOT_EQUALS; {@code value} is unescaped. */
    public record Requirement(String field, Operator op, String value) {

        boolean matches(Function<String, String> fieldValue) {
            String actual = fieldValue.apply(field);
            boolean equal = (actual == null ? "" : actual).equals(value);
            return op == Operator.NOT_EQUALS ? !equal : equal;
        }

        @Override
        public String toString() {
            return field + (op == Operator.NOT_EQUALS ? "!=" : op == Operator.DOUBLE_EQUALS ? "==" : "=")
                    + escapeValue(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Requirement> requirements;

    private FieldSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> terms = splitTerms(selector);
        terms.sort(Comparator.naturalOrder()); // upstream sorts terms, giving a canonical order
        List<Requirement> reqs = new ArrayList<>();
        for (String term : terms) {
            if (term.isEmpty()) {
                continue;
            }
            reqs.add(parseTerm(selector, term));
        }
        return new FieldSelector(reqs);
    }

    /** Splits on commas that are not escaped with a backslash. */
    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                terms.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        terms.add(cur.toString());
        return terms;
    }

    private static Requirement parseTerm(String selector, String term) {
        for (int i = 0; i < term.length(); i++) {
            if (term.charAt(i) == '\\') {
                i++;
                continue;
            }
            for (Operator op : new Operator[] {Operator.NOT_EQUALS, Operator.DOUBLE_EQUALS, Operator.EQUALS}) {
                String sym = op == Operator.NOT_EQUALS ? "!=" : op == Operator.DOUBLE_EQUALS ? "==" : "=";
                if (term.startsWith(sym, i)) {
                    String field = term.substring(0, i);
                    String value = unescapeValue(term.substring(i + sym.length()));
                    return new Requirement(field, op, value);
                }
            }
        }
        throw new SelectorException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
    }

    static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new SelectorException("invalid field selector: invalid escape sequence: \\");
                }
                char n = s.charAt(++i);
                if (n != '\\' && n != ',' && n != '=') {
                    throw new SelectorException("invalid field selector: invalid escape sequence: \\" + n);
                }
                b.append(n);
            } else if (c == ',' || c == '=') {
                throw new SelectorException("invalid field selector: unescaped character in value: " + c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String escapeValue(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /** True when every requirement holds; {@code fieldValue} returns the value of a field (null = absent). */
    public boolean matches(Function<String, String> fieldValue) {
        for (Requirement r : requirements) {
            if (!r.matches(fieldValue)) {
                return false;
            }
        }
        return true;
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** The value required by an equality term on {@code field}, or null (for index-friendly lookups). */
    public String requiredValue(String field) {
        for (Requirement r : requirements) {
            if (r.field().equals(field) && r.op() != Operator.NOT_EQUALS) {
                return r.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
