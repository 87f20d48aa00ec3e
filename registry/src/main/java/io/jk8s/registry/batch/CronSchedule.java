package io.jk8s.registry.batch;

import io.jk8s.registry.support.Json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a standard cron schedule (five fields, or a descriptor such as {@code @hourly}), as the
 * robfig/cron parser upstream uses. Returns the problem, or null for a valid schedule.
 */
public final class CronSchedule {

    private record Field(String name, int min, int max, Map<String, Integer> names) {
    }

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, Map.of()),
            new Field("hour", 0, 23, Map.of()),
            new Field("day of month", 1, 31, Map.of()),
            new Field("month", 1, 12, MONTHS),
            new Field("day of week", 0, 7, DAYS));
    private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    private CronSchedule() {
    }

    public static String problem(String schedule) {
        String s = schedule.trim();
        if (s.startsWith("@")) {
            if (DESCRIPTORS.contains(s)) {
                return null;
            }
            if (s.startsWith("@every ")) {
                return s.substring(7).trim().matches("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+") ? null
                        : "failed to parse duration " + s + ": time: invalid duration \"" + s.substring(7).trim() + "\"";
            }
            return "unrecognized descriptor: " + s;
        }
        String[] parts = s.split("\\s+");
        if (parts.length != 5) {
            return "expected exactly 5 fields, found " + (s.isEmpty() ? 0 : parts.length) + ": " + s;
        }
        for (int i = 0; i < 5; i++) {
            String p = checkField(parts[i], FIELDS.get(i));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String checkField(String text, Field f) {
        for (String item : text.split(",", -1)) {
            String range = item;
            String step = null;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = item.substring(slash + 1);
            }
            if (step != null && !step.matches("[0-9]+")) {
                return "failed to parse int from " + step + ": strconv.Atoi: parsing \"" + step + "\": invalid syntax";
            }
            if (step != null && Json.parseDigits(step) == 0) {
                return "step of range should be a positive number: " + item;
            }
            if (range.equals("*") || range.equals("?")) {
                continue;
            }
            String[] bounds = range.split("-", -1);
            if (bounds.length > 2) {
                return "too many hyphens: " + item;
            }
            Integer lo = value(bounds[0], f);
            Integer hi = bounds.length == 2 ? value(bounds[1], f) : lo;
            if (lo == null || hi == null) {
                String bad = lo == null ? bounds[0] : bounds[1];
                return "failed to parse int from " + bad + ": strconv.Atoi: parsing \"" + bad + "\": invalid syntax";
            }
            if (lo < f.min()) {
                return "beginning of range (" + lo + ") below minimum (" + f.min() + "): " + item;
            }
            if (hi > f.max()) {
                return "end of range (" + hi + ") above maximum (" + f.max() + "): " + item;
            }
            if (lo > hi) {
                return "beginning of range (" + lo + ") beyond end of range (" + hi + "): " + item;
            }
        }
        return null;
    }

    private static Integer value(String text, Field f) {
        Integer named = f.names().get(text.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        Long n = Json.parseDigits(text);
        return n == null ? null : (int) Math.min(n, Integer.MAX_VALUE);
    }
}
