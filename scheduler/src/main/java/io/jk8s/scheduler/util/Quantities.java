package io.jk8s.scheduler.util;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Parses Kubernetes quantities ({@code 100m}, {@code 1.5}, {@code 128Mi}, {@code 1e3}) into the
 * integers the scheduler works with: milli-units for CPU, whole units for everything else,
 * rounded up as upstream's {@code MilliValue()}/{@code Value()}.
 */
public final class Quantities {

    private Quantities() {
    }

    /** The quantity in milli-units (CPU), rounded up; 0 for {@code null}. */
    public static long milliValue(Quantity q) {
        if (q == null) {
            return 0;
        }
        return toLong(parse(q).movePointRight(3));
    }

    /** The quantity in whole units (bytes, counts), rounded up; 0 for {@code null}. */
    public static long value(Quantity q) {
        if (q == null) {
            return 0;
        }
        return toLong(parse(q));
    }

    private static long toLong(BigDecimal d) {
        return d.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The exact decimal value of {@code q}. */
    public static BigDecimal parse(Quantity q) {
        String amount = q.getAmount() == null ? "" : q.getAmount().trim();
        String format = q.getFormat() == null ? "" : q.getFormat().trim();
        return parse(amount + format);
    }

    /** The exact decimal value of a quantity string such as {@code 250m} or {@code 2Gi}. */
    public static BigDecimal parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return BigDecimal.ZERO;
        }
        int end = s.length();
        while (end > 0 && Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        String number = s.substring(0, end);
        String suffix = s.substring(end);
        // "1e3": the exponent form has a letter in the middle and digits at the end.
        if (suffix.isEmpty()) {
            return new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
        }
        BigDecimal base = new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
        return switch (suffix) {
            case "n" -> base.movePointLeft(9);
            case "u" -> base.movePointLeft(6);
            case "m" -> base.movePointLeft(3);
            case "k" -> base.movePointRight(3);
            case "M" -> base.movePointRight(6);
            case "G" -> base.movePointRight(9);
            case "T" -> base.movePointRight(12);
            case "P" -> base.movePointRight(15);
            case "E" -> base.movePointRight(18);
            case "Ki" -> base.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> base.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> base.multiply(BigDecimal.valueOf(1L << 30));
            case "Ti" -> base.multiply(BigDecimal.valueOf(1L << 40));
            case "Pi" -> base.multiply(BigDecimal.valueOf(1L << 50));
            case "Ei" -> base.multiply(BigDecimal.valueOf(1L << 60));
            default -> throw new IllegalArgumentException("invalid quantity suffix: " + text);
        };
    }
}
