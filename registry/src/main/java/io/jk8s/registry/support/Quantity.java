package io.jk8s.registry.support;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses resource quantities ("100m", "1.5Gi", "2e3") to exact decimals, enough to compare requests
 * with limits and to compute QoS classes.
 */
public final class Quantity {

    private static final Pattern SYNTAX = Pattern.compile("^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    private Quantity() {
    }

    /** The value, or null when {@code text} is not a quantity. */
    public static BigDecimal parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (!suffix.isEmpty() && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') && suffix.length() > 1) {
            Long exponent = Json.parseDigits(suffix.substring(1).replace("+", "").replace("-", ""));
            if (exponent == null || exponent > 1000) {
                return null; // absurd exponents are not quantities
            }
            return number.scaleByPowerOfTen(suffix.contains("-") ? -exponent.intValue() : exponent.intValue());
        }
        BigDecimal factor = SUFFIXES.get(suffix);
        return factor == null ? null : number.multiply(factor);
    }

    public static boolean isValid(String text) {
        return parse(text) != null;
    }
}
