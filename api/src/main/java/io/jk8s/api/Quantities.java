package io.jk8s.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 100m}, {@code 1.5Gi}, {@code 2e3}) with upstream semantics:
 * exact decimal values, comparison, rounded-up integer views and upstream's canonical string form.
 */
public final class Quantities {

    /** Upstream's error text for a malformed quantity. */
    public static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static final Pattern QUANTITY = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
            + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
    private static final BigDecimal NANO = new BigDecimal("1e-9");
    private static final BigInteger KI = BigInteger.valueOf(1024);
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    /** How a quantity was written; the canonical form keeps it. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    /** A parsed quantity: exact value and original format. */
    public record Quantity(BigDecimal value, Format format) implements Comparable<Quantity> {

        @Override
        public int compareTo(Quantity o) {
            return value.compareTo(o.value);
        }

        /** The value rounded up to an integer (bytes, counts), as upstream's {@code Value()}. */
        public long longValue() {
            return value.setScale(0, RoundingMode.CEILING).longValueExact();
        }

        /** The value in thousandths rounded up (CPU millicores), as upstream's {@code MilliValue()}. */
        public long milliValue() {
            return value.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
        }

        /** Upstream's canonical string, e.g. 0.1 → {@code 100m}, 1.5Gi → {@code 1536Mi}, 1000 → {@code 1k}. */
        @Override
        public String toString() {
            return canonical(this);
        }
    }

    private Quantities() {
    }

    /** @throws IllegalArgumentException with {@link #FORMAT_ERROR} when malformed */
    public static Quantity parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        Matcher m = QUANTITY.matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        return switch (suffix) {
            case "" -> new Quantity(number, Format.DECIMAL_SI);
            case "n" -> new Quantity(number.movePointLeft(9), Format.DECIMAL_SI);
            case "u" -> new Quantity(number.movePointLeft(6), Format.DECIMAL_SI);
            case "m" -> new Quantity(number.movePointLeft(3), Format.DECIMAL_SI);
            case "k" -> new Quantity(number.movePointRight(3), Format.DECIMAL_SI);
            case "M" -> new Quantity(number.movePointRight(6), Format.DECIMAL_SI);
            case "G" -> new Quantity(number.movePointRight(9), Format.DECIMAL_SI);
            case "T" -> new Quantity(number.movePointRight(12), Format.DECIMAL_SI);
            case "P" -> new Quantity(number.movePointRight(15), Format.DECIMAL_SI);
            case "E" -> new Quantity(number.movePointRight(18), Format.DECIMAL_SI);
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> new Quantity(
                    number.multiply(new BigDecimal(KI.pow(binaryPower(suffix)))), Format.BINARY_SI);
            default -> {
                int exp = Integer.parseInt(suffix.substring(1));
                yield new Quantity(number.scaleByPowerOfTen(exp), Format.DECIMAL_EXPONENT);
            }
        };
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compares two quantity strings by value. */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    /** Re-renders a quantity string in upstream's canonical form. */
    public static String canonicalize(String text) {
        return parse(text).toString();
    }

    private static int binaryPower(String suffix) {
        for (int i = 1; i < BINARY.length; i++) {
            if (BINARY[i].equals(suffix)) {
                return i;
            }
        }
        throw new IllegalArgumentException(FORMAT_ERROR);
    }

    private static String canonical(Quantity q) {
        // Upstream keeps at most nano precision, rounding away from zero.
        BigDecimal v = q.value().divide(NANO).setScale(0, RoundingMode.UP).multiply(NANO).stripTrailingZeros();
        if (v.signum() == 0) {
            return "0";
        }
        if (q.format() == Format.BINARY_SI && v.abs().compareTo(BigDecimal.valueOf(1024)) >= 0
                && v.scale() <= 0) {
            BigInteger n = v.toBigIntegerExact();
            int power = 0;
            while (power < BINARY.length - 1 && n.mod(KI).signum() == 0) {
                n = n.divide(KI);
                power++;
            }
            return n + BINARY[power];
        }
        // Decimal: integer mantissa with an exponent that is a multiple of 3.
        BigInteger unscaled = v.unscaledValue();
        int exponent = -v.scale();
        int shift = Math.floorMod(exponent, 3);
        unscaled = unscaled.multiply(BigInteger.TEN.pow(shift));
        exponent -= shift;
        if (q.format() == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? unscaled.toString() : unscaled + "e" + exponent;
        }
        if (exponent > 18) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(exponent - 18));
            exponent = 18;
        }
        String suffix = switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> throw new IllegalStateException("exponent " + exponent);
        };
        return unscaled + suffix;
    }
}
