package io.jk8s.registry.validation;

import io.jk8s.api.validation.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Name formats with upstream's messages (apimachinery {@code util/validation} and
 * {@code api/validation/path}): the api module's {@link Names} plus the formats only kinds need
 * (DNS-1035 labels, path segments, config keys, port names). Each check returns the problems found; empty means valid.
 * Messages carry no field path: callers wrap them in a {@link io.jk8s.api.FieldError}.
 */
public final class NameRules {

    private static final String DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_FMT);
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
        return Names.dns1123Label(value);
    }

    public static List<String> dns1123Subdomain(String value) {
        return Names.dns1123Subdomain(value);
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
        return Names.qualifiedName(value);
    }

    public static List<String> labelValue(String value) {
        return Names.labelValue(value);
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
        return Names.regexError(msg, fmt, examples);
    }
}
