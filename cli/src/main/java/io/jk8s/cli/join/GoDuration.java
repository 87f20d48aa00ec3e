package io.jk8s.cli.join;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations written as Go and kubeadm write them ({@code 24h}, {@code 1h30m}, {@code 90s}, {@code 0}). */
final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+)(h|m|s)");

    private GoDuration() {
    }

    static Duration parse(String text) {
        if (text.equals("0")) return Duration.ZERO;
        var m = PART.matcher(text);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (e.g. 24h, 1h30m, 0 for never)");
        }
        return d;
    }
}
