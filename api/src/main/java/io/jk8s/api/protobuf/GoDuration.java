package io.jk8s.api.protobuf;

import java.math.BigDecimal;

/** Formats nanoseconds the way Go's {@code time.Duration.String} does ("1h2m3.5s", "1.5ms", "0s"). */
final class GoDuration {

    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {
    }

    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        // Long.MIN_VALUE has no positive counterpart; BigDecimal keeps the arithmetic exact.
        BigDecimal abs = BigDecimal.valueOf(nanos).abs();
        if (abs.compareTo(BigDecimal.valueOf(SECOND)) < 0) {
            long n = abs.longValue();
            if (n < MICRO) {
                return sign + n + "ns";
            }
            if (n < MILLI) {
                return sign + decimal(abs, MICRO) + "µs";
            }
            return sign + decimal(abs, MILLI) + "ms";
        }
        BigDecimal[] hoursRest = abs.divideAndRemainder(BigDecimal.valueOf(3600 * SECOND));
        BigDecimal[] minutesRest = hoursRest[1].divideAndRemainder(BigDecimal.valueOf(60 * SECOND));
        StringBuilder out = new StringBuilder(sign);
        if (hoursRest[0].signum() > 0) {
            out.append(hoursRest[0].toBigInteger()).append('h');
        }
        if (hoursRest[0].signum() > 0 || minutesRest[0].signum() > 0) {
            out.append(minutesRest[0].toBigInteger()).append('m');
        }
        return out.append(decimal(minutesRest[1], SECOND)).append('s').toString();
    }

    private static String decimal(BigDecimal value, long unit) {
        BigDecimal scaled = value.divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return scaled.scale() <= 0 ? scaled.toBigInteger().toString() : scaled.toPlainString();
    }
}
