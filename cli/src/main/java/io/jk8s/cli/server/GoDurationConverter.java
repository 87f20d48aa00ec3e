package io.jk8s.cli.server;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations written as Kubernetes flags take them (Go's time.ParseDuration): {@code 40s}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
public final class GoDurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Parses a duration; IllegalArgumentException names the bad text (also used for {@code token create --ttl}). */
    public static Duration parse(String value) {
        String v = value.trim();
        if (v.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(v);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw new IllegalArgumentException("invalid duration \"" + value + "\" (use e.g. 24h, 1m30s, 500ms, 0)");
        }
        return d;
    }
}
