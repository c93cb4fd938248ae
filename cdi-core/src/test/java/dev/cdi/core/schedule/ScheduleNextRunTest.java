package dev.cdi.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleNextRunTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId UTC = ZoneId.of("UTC");

    /** An instant written as local date-time and offset, so expectations show both the wall clock and the UTC time. */
    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static LocalTime time(String text) {
        return LocalTime.parse(text);
    }

    /** Every run from {@code from} (exclusive) up to {@code until} (exclusive), checking each is after the last. */
    private static List<Instant> runs(Schedule schedule, ZoneId zone, Instant from, Instant until) {
        List<Instant> runs = new ArrayList<>();
        Instant previous = from;
        while (true) {
            Instant next = schedule.nextRunAfter(previous, zone);
            assertThat(next).as("run after %s", previous).isAfter(previous);
            if (!next.isBefore(until)) {
                return runs;
            }
            runs.add(next);
            previous = next;
        }
    }

    /** The runs whose local date in {@code zone} is {@code date}. */
    private static List<Instant> runsOn(Schedule schedule, ZoneId zone, LocalDate date) {
        Instant start = date.atStartOfDay(zone).toInstant();
        Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
        return runs(schedule, zone, start.minusNanos(1), end);
    }

    private static List<ZonedDateTime> local(List<Instant> runs, ZoneId zone) {
        return runs.stream().map(run -> run.atZone(zone)).toList();
    }

    // Daily across daylight-saving changes

    @Test
    void dailyInTheSpringForwardGapRunsOnceWhenTheClockJumps() {
        Schedule daily = Schedule.dailyAt(time("02:30"));
        Instant gapDay = daily.nextRunAfter(at("2026-03-07T02:30-05:00"), NEW_YORK);
        assertThat(gapDay).isEqualTo(at("2026-03-08T03:00-04:00"));
        assertThat(daily.nextRunAfter(gapDay, NEW_YORK)).isEqualTo(at("2026-03-09T02:30-04:00"));
        assertThat(runsOn(daily, NEW_YORK, LocalDate.parse("2026-03-08"))).containsExactly(gapDay);

        Schedule paris = Schedule.dailyAt(time("02:30"));
        assertThat(runsOn(paris, PARIS, LocalDate.parse("2026-03-29"))).containsExactly(at("2026-03-29T03:00+02:00"));
        assertThat(paris.nextRunAfter(at("2026-03-29T03:00+02:00"), PARIS)).isEqualTo(at("2026-03-30T02:30+02:00"));
    }

    @Test
    void everyTimeInTheGapRunsAtTheEndOfTheGapInTheOrderOfTheirTimes() {
        LocalDate gapDay = LocalDate.parse("2026-03-08");
        Instant jump = at("2026-03-08T03:00-04:00");
        assertThat(runsOn(Schedule.dailyAt(time("02:00")), NEW_YORK, gapDay)).containsExactly(jump);
        assertThat(runsOn(Schedule.dailyAt(time("02:59")), NEW_YORK, gapDay)).containsExactly(jump);
        assertThat(runsOn(Schedule.dailyAt(time("03:00")), NEW_YORK, gapDay)).containsExactly(jump);
        assertThat(runsOn(Schedule.dailyAt(time("03:15")), NEW_YORK, gapDay))
                .containsExactly(at("2026-03-08T03:15-04:00"));
        assertThat(runsOn(Schedule.dailyAt(time("01:59")), NEW_YORK, gapDay))
                .containsExactly(at("2026-03-08T01:59-05:00"));
    }

    @Test
    void dailyInTheFallBackOverlapRunsOnceAtTheEarlierInstant() {
        Schedule daily = Schedule.dailyAt(time("01:30"));
        Instant overlapDay = daily.nextRunAfter(at("2026-10-31T01:30-04:00"), NEW_YORK);
        assertThat(overlapDay).isEqualTo(at("2026-11-01T01:30-04:00"));
        assertThat(daily.nextRunAfter(overlapDay, NEW_YORK)).isEqualTo(at("2026-11-02T01:30-05:00"));
        // From inside the repeated hour, after the run: the second 01:30 is not a run.
        assertThat(daily.nextRunAfter(at("2026-11-01T01:00-05:00"), NEW_YORK)).isEqualTo(at("2026-11-02T01:30-05:00"));
        assertThat(runsOn(daily, NEW_YORK, LocalDate.parse("2026-11-01"))).containsExactly(overlapDay);

        Schedule paris = Schedule.dailyAt(time("02:30"));
        assertThat(runsOn(paris, PARIS, LocalDate.parse("2026-10-25"))).containsExactly(at("2026-10-25T02:30+02:00"));
        assertThat(paris.nextRunAfter(at("2026-10-25T02:30+02:00"), PARIS)).isEqualTo(at("2026-10-26T02:30+01:00"));
        assertThat(paris.nextRunAfter(at("2026-10-25T02:00+01:00"), PARIS)).isEqualTo(at("2026-10-26T02:30+01:00"));
    }

    @Test
    void timesAwayFromTheChangeKeepTheirWallClockTime() {
        assertThat(Schedule.dailyAt(time("09:00")).nextRunAfter(at("2026-03-07T09:00-05:00"), NEW_YORK))
                .isEqualTo(at("2026-03-08T09:00-04:00"));
        assertThat(Schedule.dailyAt(time("09:00")).nextRunAfter(at("2026-10-31T09:00-04:00"), NEW_YORK))
                .isEqualTo(at("2026-11-01T09:00-05:00"));
    }

    @Test
    void aGapAtMidnightAndASkippedDayStillGiveARun() {
        // Sao Paulo skipped 00:00-01:00 on 2018-11-04.
        ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
        assertThat(runsOn(Schedule.dailyAt(time("00:30")), saoPaulo, LocalDate.parse("2018-11-04")))
                .containsExactly(at("2018-11-04T01:00-02:00"));
        // Samoa skipped the whole of 2011-12-30: its run happens when the clock jumps, the next day at 00:00.
        ZoneId apia = ZoneId.of("Pacific/Apia");
        assertThat(runs(Schedule.dailyAt(time("10:00")), apia, at("2011-12-28T10:00-10:00"), at("2012-01-01T11:00+14:00")))
                .containsExactly(at("2011-12-29T10:00-10:00"), at("2011-12-31T00:00+14:00"),
                        at("2011-12-31T10:00+14:00"), at("2012-01-01T10:00+14:00"));
    }

    @ParameterizedTest
    @CsvSource({
        "America/New_York, 2026, 02:30, 365",
        "America/New_York, 2026, 01:30, 365",
        "America/New_York, 2028, 02:30, 366",
        "America/New_York, 2028, 01:30, 366",
        "Europe/Paris, 2026, 02:30, 365",
        "Europe/Paris, 2028, 02:30, 366",
        "Europe/Paris, 2026, 00:00, 365",
        "Europe/Paris, 2026, 23:59, 365",
    })
    void dailyRunsOncePerLocalDateAcrossAYear(String zoneName, int year, String atText, int expectedRuns) {
        ZoneId zone = ZoneId.of(zoneName);
        LocalTime at = time(atText);
        Instant yearStart = LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant();
        Instant yearEnd = LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();

        List<ZonedDateTime> runs = local(runs(Schedule.dailyAt(at), zone, yearStart.minusNanos(1), yearEnd), zone);

        assertThat(runs).hasSize(expectedRuns);
        assertThat(runs.stream().map(ZonedDateTime::toLocalDate).distinct()).hasSize(expectedRuns);
        // Only the spring-forward day may move the time, and only to the end of the gap.
        assertThat(runs.stream().filter(run -> !run.toLocalTime().equals(at)))
                .allSatisfy(run -> assertThat(run.toLocalTime()).isEqualTo(time("03:00")));
    }

    // Hourly

    @Test
    void hourlyRunsEveryRealHourSo25OnTheFallBackDayAnd23OnTheSpringForwardDay() {
        Schedule hourly = Schedule.hourlyAt(5);
        for (ZoneId zone : List.of(NEW_YORK, PARIS)) {
            List<Instant> fallBack = runsOn(hourly, zone, LocalDate.parse(zone == NEW_YORK ? "2026-11-01" : "2026-10-25"));
            List<Instant> springForward =
                    runsOn(hourly, zone, LocalDate.parse(zone == NEW_YORK ? "2026-03-08" : "2026-03-29"));
            assertThat(fallBack).as("fall back in %s", zone).hasSize(25);
            assertThat(springForward).as("spring forward in %s", zone).hasSize(23);
            for (List<Instant> day : List.of(fallBack, springForward)) {
                assertThat(local(day, zone)).allSatisfy(run -> assertThat(run.getMinute()).isEqualTo(5));
                for (int i = 1; i < day.size(); i++) {
                    assertThat(Duration.between(day.get(i - 1), day.get(i))).isEqualTo(Duration.ofHours(1));
                }
            }
        }
        // In the repeated hour 01:05 happens twice, an hour apart.
        assertThat(hourly.nextRunAfter(at("2026-11-01T00:05-04:00"), NEW_YORK)).isEqualTo(at("2026-11-01T01:05-04:00"));
        assertThat(hourly.nextRunAfter(at("2026-11-01T01:05-04:00"), NEW_YORK)).isEqualTo(at("2026-11-01T01:05-05:00"));
        assertThat(hourly.nextRunAfter(at("2026-11-01T01:05-05:00"), NEW_YORK)).isEqualTo(at("2026-11-01T02:05-05:00"));
        // The skipped hour has none.
        assertThat(hourly.nextRunAfter(at("2026-03-08T01:05-05:00"), NEW_YORK)).isEqualTo(at("2026-03-08T03:05-04:00"));
    }

    @Test
    void hourlyFollowsTheLocalMinuteInHalfHourZones() {
        Schedule hourly = Schedule.hourlyAt(5);
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        assertThat(hourly.nextRunAfter(at("2026-06-01T10:00Z"), kolkata)).isEqualTo(at("2026-06-01T10:35Z"));
        assertThat(hourly.nextRunAfter(at("2026-06-01T10:00Z"), UTC)).isEqualTo(at("2026-06-01T10:05Z"));
    }

    @Test
    void hourlyRunsStrictlyAfterThePreviousInstant() {
        Schedule hourly = Schedule.hourlyAt(5);
        assertThat(hourly.nextRunAfter(at("2026-06-01T10:04:59.999999999Z"), UTC)).isEqualTo(at("2026-06-01T10:05Z"));
        assertThat(hourly.nextRunAfter(at("2026-06-01T10:05Z"), UTC)).isEqualTo(at("2026-06-01T11:05Z"));
        assertThat(hourly.nextRunAfter(at("2026-06-01T10:05:00.000000001Z"), UTC)).isEqualTo(at("2026-06-01T11:05Z"));
        assertThat(Schedule.hourlyAt(0).nextRunAfter(at("2026-12-31T23:30-05:00"), NEW_YORK))
                .isEqualTo(at("2027-01-01T00:00-05:00"));
    }

    // Every N minutes

    @Test
    void everyMinutesIsAlignedToTheEpoch() {
        Schedule every15 = Schedule.everyMinutes(15);
        assertThat(every15.nextRunAfter(at("2026-06-01T10:07:33Z"), NEW_YORK)).isEqualTo(at("2026-06-01T10:15Z"));
        assertThat(every15.nextRunAfter(at("2026-06-01T10:15Z"), NEW_YORK)).isEqualTo(at("2026-06-01T10:30Z"));
        assertThat(every15.nextRunAfter(at("2026-06-01T10:14:59.999999999Z"), NEW_YORK))
                .isEqualTo(at("2026-06-01T10:15Z"));
        // The zone does not move the grid.
        assertThat(every15.nextRunAfter(at("2026-06-01T10:07:33Z"), ZoneId.of("Asia/Kathmandu")))
                .isEqualTo(at("2026-06-01T10:15Z"));
        assertThat(Schedule.everyMinutes(1440).nextRunAfter(at("2026-06-01T10:00Z"), NEW_YORK))
                .isEqualTo(at("2026-06-02T00:00Z"));
        assertThat(Schedule.everyMinutes(44_640).nextRunAfter(Instant.EPOCH, UTC))
                .isEqualTo(Instant.EPOCH.plus(Duration.ofDays(31)));
    }

    @Test
    void everyMinutesDoesNotDriftOverManyRunsWhateverTheDelays() {
        Schedule every45 = Schedule.everyMinutes(45);
        Instant previous = at("2026-01-01T00:00:17.5Z");
        Instant first = every45.nextRunAfter(previous, PARIS);
        for (int i = 0; i < 50_000; i++) {
            Instant next = every45.nextRunAfter(previous, PARIS);
            assertThat(next.getEpochSecond() % (45 * 60)).isZero();
            assertThat(next.getNano()).isZero();
            assertThat(Duration.between(first, next)).isEqualTo(Duration.ofMinutes(45L * i));
            // The run finished late: the next run is still on the grid.
            previous = next.plusSeconds(i % 600);
        }
    }

    @Test
    void everyMinutesKeepsRealIntervalsAcrossDaylightSavingChanges() {
        Schedule every15 = Schedule.everyMinutes(15);
        List<Instant> fallBack = runsOn(every15, NEW_YORK, LocalDate.parse("2026-11-01"));
        List<Instant> springForward = runsOn(every15, NEW_YORK, LocalDate.parse("2026-03-08"));
        assertThat(fallBack).hasSize(25 * 4);
        assertThat(springForward).hasSize(23 * 4);
        for (List<Instant> day : List.of(fallBack, springForward)) {
            for (int i = 1; i < day.size(); i++) {
                assertThat(Duration.between(day.get(i - 1), day.get(i))).isEqualTo(Duration.ofMinutes(15));
            }
        }
        assertThat(local(fallBack, NEW_YORK).stream().filter(run -> run.getHour() == 1)).hasSize(8);
    }

    // Weekly

    @Test
    void weeklyRunsOnItsDayAndAppliesTheSameDaylightSavingRules() {
        Schedule sunday0230 = Schedule.weeklyOn(DayOfWeek.SUNDAY, time("02:30"));
        assertThat(sunday0230.nextRunAfter(at("2026-03-01T02:30-05:00"), NEW_YORK))
                .isEqualTo(at("2026-03-08T03:00-04:00"));
        assertThat(sunday0230.nextRunAfter(at("2026-03-08T03:00-04:00"), NEW_YORK))
                .isEqualTo(at("2026-03-15T02:30-04:00"));
        assertThat(Schedule.weeklyOn(DayOfWeek.SUNDAY, time("02:30")).nextRunAfter(at("2026-03-22T02:30+01:00"), PARIS))
                .isEqualTo(at("2026-03-29T03:00+02:00"));

        Schedule sunday0130 = Schedule.weeklyOn(DayOfWeek.SUNDAY, time("01:30"));
        assertThat(runsOn(sunday0130, NEW_YORK, LocalDate.parse("2026-11-01")))
                .containsExactly(at("2026-11-01T01:30-04:00"));
        assertThat(sunday0130.nextRunAfter(at("2026-11-01T01:30-04:00"), NEW_YORK))
                .isEqualTo(at("2026-11-08T01:30-05:00"));
    }

    @Test
    void weeklyCrossesTheYearEndAndRunsOncePerWeek() {
        Schedule friday = Schedule.weeklyOn(DayOfWeek.FRIDAY, time("09:00"));
        assertThat(friday.nextRunAfter(at("2026-12-31T09:00-05:00"), NEW_YORK)).isEqualTo(at("2027-01-01T09:00-05:00"));
        assertThat(friday.nextRunAfter(at("2027-01-01T09:00-05:00"), NEW_YORK)).isEqualTo(at("2027-01-08T09:00-05:00"));
        // From the day itself, before and after the time.
        assertThat(friday.nextRunAfter(at("2027-01-01T08:59-05:00"), NEW_YORK)).isEqualTo(at("2027-01-01T09:00-05:00"));

        List<ZonedDateTime> year = local(runs(friday, NEW_YORK, at("2026-01-01T00:00-05:00"), at("2027-01-01T00:00-05:00")),
                NEW_YORK);
        assertThat(year).hasSize(52).allSatisfy(run -> {
            assertThat(run.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
            assertThat(run.toLocalTime()).isEqualTo(time("09:00"));
        });
    }

    // Monthly

    @Test
    void monthlyOnDay31RunsOnTheLastDayOfShorterMonths() {
        Schedule day31 = Schedule.monthlyOn(31, time("23:00"));
        List<LocalDate> dates2026 = local(runs(day31, PARIS, at("2026-01-01T00:00+01:00"), at("2027-01-01T00:00+01:00")),
                PARIS).stream().map(ZonedDateTime::toLocalDate).toList();
        assertThat(dates2026).containsExactly(
                LocalDate.parse("2026-01-31"), LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-31"),
                LocalDate.parse("2026-04-30"), LocalDate.parse("2026-05-31"), LocalDate.parse("2026-06-30"),
                LocalDate.parse("2026-07-31"), LocalDate.parse("2026-08-31"), LocalDate.parse("2026-09-30"),
                LocalDate.parse("2026-10-31"), LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-31"));
        assertThat(day31.nextRunAfter(at("2026-01-31T23:00+01:00"), PARIS)).isEqualTo(at("2026-02-28T23:00+01:00"));
        assertThat(day31.nextRunAfter(at("2028-01-31T23:00+01:00"), PARIS)).isEqualTo(at("2028-02-29T23:00+01:00"));
        assertThat(day31.nextRunAfter(at("2026-03-31T23:00+02:00"), PARIS)).isEqualTo(at("2026-04-30T23:00+02:00"));
        assertThat(Schedule.monthlyOn(30, time("12:00")).nextRunAfter(at("2028-02-01T00:00Z"), UTC))
                .isEqualTo(at("2028-02-29T12:00Z"));
        assertThat(Schedule.monthlyOn(29, time("12:00")).nextRunAfter(at("2026-02-01T00:00Z"), UTC))
                .isEqualTo(at("2026-02-28T12:00Z"));
        // A short month's last day does not move the next month's run.
        assertThat(Schedule.monthlyOn(30, time("12:00")).nextRunAfter(at("2026-02-28T12:00Z"), UTC))
                .isEqualTo(at("2026-03-30T12:00Z"));
    }

    @Test
    void monthlyCrossesTheYearEnd() {
        Schedule day31 = Schedule.monthlyOn(31, time("23:00"));
        assertThat(day31.nextRunAfter(at("2026-12-31T23:00-05:00"), NEW_YORK)).isEqualTo(at("2027-01-31T23:00-05:00"));
        assertThat(day31.nextRunAfter(at("2026-12-31T22:59-05:00"), NEW_YORK)).isEqualTo(at("2026-12-31T23:00-05:00"));
        assertThat(Schedule.monthlyOn(1, time("00:00")).nextRunAfter(at("2026-12-15T00:00-05:00"), NEW_YORK))
                .isEqualTo(at("2027-01-01T00:00-05:00"));
    }

    @Test
    void monthlyAppliesTheSameDaylightSavingRules() {
        assertThat(runsOn(Schedule.monthlyOn(8, time("02:30")), NEW_YORK, LocalDate.parse("2026-03-08")))
                .containsExactly(at("2026-03-08T03:00-04:00"));
        assertThat(runsOn(Schedule.monthlyOn(1, time("01:30")), NEW_YORK, LocalDate.parse("2026-11-01")))
                .containsExactly(at("2026-11-01T01:30-04:00"));
        assertThat(runsOn(Schedule.monthlyOn(29, time("02:30")), PARIS, LocalDate.parse("2026-03-29")))
                .containsExactly(at("2026-03-29T03:00+02:00"));
        assertThat(runsOn(Schedule.monthlyOn(25, time("02:30")), PARIS, LocalDate.parse("2026-10-25")))
                .containsExactly(at("2026-10-25T02:30+02:00"));
    }

    // Every kind

    static Stream<Arguments> everyKind() {
        return Stream.of(
                Arguments.of(Schedule.everyMinutes(15)),
                Arguments.of(Schedule.everyMinutes(44_640)),
                Arguments.of(Schedule.hourlyAt(59)),
                Arguments.of(Schedule.dailyAt(time("02:30"))),
                Arguments.of(Schedule.weeklyOn(DayOfWeek.SUNDAY, time("01:30"))),
                Arguments.of(Schedule.monthlyOn(31, time("02:30"))));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyKindRunsStrictlyAfterThePreviousRunOnWholeMinutes(Schedule schedule) {
        for (ZoneId zone : List.of(NEW_YORK, PARIS)) {
            Set<Instant> seen = new HashSet<>();
            for (Instant run : runs(schedule, zone, at("2025-12-20T00:00Z"), at("2029-01-05T00:00Z"))) {
                assertThat(seen.add(run)).isTrue();
                assertThat(run.getEpochSecond() % 60).isZero();
                assertThat(run.getNano()).isZero();
                assertThat(schedule.nextRunAfter(run.minusNanos(1), zone)).isEqualTo(run);
            }
        }
    }
}
