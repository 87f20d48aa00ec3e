package io.jk8s.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Name formats with upstream's messages (apimachinery {@code util/validation} and
 * {@code api/validation/path}). Each check returns the problems found; empty means valid.
 * Messages carry no field path: callers wrap them in a {@link io.jk8s.api.FieldError}.
 */
public final class NameRules {

    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
    private static final String DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_FMT + ")?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final Pattern LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_FMT);
    private static final Pattern QUALIFIED = Pattern.compile(QUALIFIED_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    /** Object-name rules by kind: the function returns the problems of one name. */
    public static final Function<String, List<String>> SUBDOMAIN_NAME = NameRules::dns1123Subdomain;
    public static final Function<String, List<String>> LABEL_NAME = NameRules::dns1123Label;
    public static final Function<String, List<String>> DNS1035_NAME = NameRules::dns1035Label;
    public static final Function<String, List<String>> PATH_SEGMENT_NAME = NameRules::pathSegment;

    private NameRules() {
    }

    public static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL.matcher(value).matches()) {
            errs.add(regex("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character", LABEL_FMT, "my-name", "123-abc"));
        }
        return errs;
    }

    public static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errs.add(regex("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character", SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** Service names: a DNS-1035 label (must start with a letter). */
    public static List<String> dns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035.matcher(value).matches()) {
            errs.add(regex("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character", DNS1035_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** RBAC, PersistentVolume and CSR names: anything that is a safe URL path segment. */
    public static List<String> pathSegment(String value) {
        List<String> errs = new ArrayList<>();
        if (value.equals(".") || value.equals("..")) {
            errs.add("may not be '" + value + "'");
        }
        for (String bad : List.of("/", "%")) {
            if (value.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        return errs;
    }

    /** Label and annotation keys ({@code IsQualifiedName}). */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add("a qualified name " + regex("must consist of alphanumeric characters, '-', '_' or '.', and must start "
                    + "and end with an alphanumeric character", QUALIFIED_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QUALIFIED.matcher(name).matches()) {
            errs.add("name part " + regex("must consist of alphanumeric characters, '-', '_' or '.', and must start "
                    + "and end with an alphanumeric character", QUALIFIED_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regex("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character", LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** ConfigMap and Secret keys ({@code IsConfigMapKey}). */
    public static List<String> configMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regex("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT,
                    "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** Container port names ({@code IsValidPortName}). */
    public static List<String> portName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 15) {
            errs.add(maxLen(15));
        }
        if (!PORT_NAME_CHARS.matcher(value).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(value).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (value.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    public static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    /** Upstream's {@code RegexError} wording, including its ",  or " separator. */
    static String regex(String msg, String fmt, String... examples) {
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }
}
