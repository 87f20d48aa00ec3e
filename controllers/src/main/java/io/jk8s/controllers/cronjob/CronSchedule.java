package io.jk8s.controllers.cronjob;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute hour day-of-month month day-of-week) as the
 * CronJob controller reads it (robfig/cron's standard parser): lists, ranges, steps, {@code *}
 * and {@code ?}, month and weekday names, and the {@code @yearly @annually @monthly @weekly
 * @daily @midnight @hourly} shorthands. When both day fields are restricted a day matching
 * either runs; when one of them is {@code *} (or {@code ?}) both must match.
 */
public final class CronSchedule {

    private static final Map<String, String> SHORTHANDS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Schedules with no match within this many years (e.g. Feb 30) have no next time. */
    private static final int SEARCH_YEARS = 5;

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String[] f) {
        minutes = field(f[0], 0, 59, List.of(), "minute");
        hours = field(f[1], 0, 23, List.of(), "hour");
        daysOfMonth = field(f[2], 1, 31, List.of(), "day of month");
        months = field(f[3], 1, 12, MONTHS, "month");
        daysOfWeek = field(f[4], 0, 7, DAYS, "day of week");
        if (daysOfWeek.get(7)) daysOfWeek.set(0); // 7 is Sunday too
        anyDayOfMonth = f[2].startsWith("*") || f[2].startsWith("?");
        anyDayOfWeek = f[4].startsWith("*") || f[4].startsWith("?");
    }

    /** Parses {@code spec}; throws {@link IllegalArgumentException} with a message naming the bad part. */
    public static CronSchedule parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty schedule");
        String s = spec.trim();
        if (s.startsWith("@")) {
            String expanded = SHORTHANDS.get(s.toLowerCase(Locale.ROOT));
            if (expanded == null) throw new IllegalArgumentException("unrecognized descriptor: " + s);
            s = expanded;
        }
        String[] fields = s.split("\\s+");
        if (fields.length != 5) throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": " + spec);
        return new CronSchedule(fields);
    }

    private static BitSet field(String text, int min, int max, List<String> names, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), List.of(), 0, what);
                if (step <= 0) throw new IllegalArgumentException("step of " + what + " must be positive: " + part);
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max == 7 ? 6 : max;
            } else {
                int dash = range.indexOf('-');
                lo = number(dash < 0 ? range : range.substring(0, dash), names, min, what);
                // "5/15" means from 5 to the end of the range, every 15.
                hi = dash >= 0 ? number(range.substring(dash + 1), names, min, what) : slash >= 0 ? (max == 7 ? 6 : max) : lo;
            }
            if (lo < min || hi > max || lo > hi) {
                throw new IllegalArgumentException(what + " out of range (" + min + "-" + max + "): " + part);
            }
            for (int v = lo; v <= hi; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String s, List<String> names, int offset, String what) {
        int i = names.indexOf(s.toUpperCase(Locale.ROOT));
        if (i >= 0) return i + offset;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + s);
        }
    }

    /** The first scheduled time strictly after {@code after}, in {@code zone}; null if none within 5 years. */
    public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
        ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone);
            } else if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay(zone);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }
}
