package io.jk8s.controllers.cronjob;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {

    static final ZoneId UTC = ZoneId.of("UTC");

    static ZonedDateTime utc(String s) {
        return ZonedDateTime.parse(s + "Z").withZoneSameInstant(UTC);
    }

    static ZonedDateTime next(String spec, String after) {
        return CronSchedule.parse(spec).next(utc(after), UTC);
    }

    @Test
    void stepsRangesAndLists() {
        assertThat(next("*/15 * * * *", "2026-11-23T10:07:30")).isEqualTo(utc("2026-11-23T10:15:00"));
        assertThat(next("*/15 * * * *", "2026-11-23T10:45:00")).isEqualTo(utc("2026-11-23T11:00:00"));
        assertThat(next("5,35 8-9 * * *", "2026-11-23T09:40:00")).isEqualTo(utc("2026-11-24T08:05:00"));
        assertThat(next("10/20 * * * *", "2026-11-23T10:31:00")).isEqualTo(utc("2026-11-23T10:50:00"));
        assertThat(next("* * * * *", "2026-12-31T23:59:00")).isEqualTo(utc("2027-01-01T00:00:00"));
    }

    @Test
    void shorthandsAndNames() {
        assertThat(next("@hourly", "2026-11-23T10:00:00")).isEqualTo(utc("2026-11-23T11:00:00"));
        assertThat(next("@daily", "2026-11-23T10:00:00")).isEqualTo(utc("2026-11-24T00:00:00"));
        assertThat(next("@weekly", "2026-11-23T10:00:00")).isEqualTo(utc("2026-11-29T00:00:00")); // a Sunday
        assertThat(next("@monthly", "2026-11-23T10:00:00")).isEqualTo(utc("2026-12-01T00:00:00"));
        assertThat(next("@yearly", "2026-11-23T10:00:00")).isEqualTo(utc("2027-01-01T00:00:00"));
        // 2026-11-27 is a Friday: the next weekday 09:00 after Friday 10:00 is Monday the 30th.
        assertThat(next("0 9 * * mon-FRI", "2026-11-27T10:00:00")).isEqualTo(utc("2026-11-30T09:00:00"));
        assertThat(next("0 0 1 feb,MAR ?", "2026-11-23T10:00:00")).isEqualTo(utc("2027-02-01T00:00:00"));
        assertThat(next("0 0 * * 7", "2026-11-23T10:00:00")).isEqualTo(utc("2026-11-29T00:00:00"));
    }

    @Test
    void bothDayFieldsRestrictedMeansEither() {
        // The 13th or any Friday: Friday 2026-11-27 comes before the 13th of December.
        assertThat(next("0 0 13 * 5", "2026-11-23T10:00:00")).isEqualTo(utc("2026-11-27T00:00:00"));
        // With day-of-week '*', only the 13th.
        assertThat(next("0 0 13 * *", "2026-11-23T10:00:00")).isEqualTo(utc("2026-12-13T00:00:00"));
    }

    @Test
    void timeZoneShiftsTheWallClock() {
        ZoneId ny = ZoneId.of("America/New_York");
        // 09:00 in New York is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
        assertThat(CronSchedule.parse("0 9 * * *").next(utc("2026-11-23T10:00:00"), ny).toInstant())
                .isEqualTo(utc("2026-11-23T14:00:00").toInstant());
        assertThat(CronSchedule.parse("0 9 * * *").next(utc("2026-07-01T10:00:00"), ny).toInstant())
                .isEqualTo(utc("2026-07-01T13:00:00").toInstant());
    }

    @Test
    void impossibleDatesHaveNoNextTime() {
        assertThat(next("0 0 30 2 *", "2026-11-23T10:00:00")).isNull();
    }

    @Test
    void badSchedulesNameTheProblem() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessageContaining("minute out of range");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * FOO")).hasMessageContaining("invalid day of week");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessageContaining("step");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessageContaining("unrecognized descriptor");
    }
}
