package dev.cdi.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTextTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOf(CdiException.class)
                .satisfies(e -> assertThat(((CdiException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "every 15 minutes",
        "every 90 minutes",
        "every 44640 minutes",
        "hourly at :00",
        "hourly at :05",
        "hourly at :59",
        "daily at 00:00",
        "daily at 02:30",
        "daily at 23:59",
        "weekly on monday at 09:00",
        "weekly on sunday at 01:30",
        "monthly on day 1 at 00:00",
        "monthly on day 31 at 23:00",
    })
    void canonicalTextRoundTrips(String text) {
        Schedule schedule = Schedule.parse(text);
        assertThat(schedule.toString()).isEqualTo(text);
        assertThat(Schedule.parse(schedule.toString())).isEqualTo(schedule);
    }

    @Test
    void parseGivesTheKindAndValues() {
        assertThat(Schedule.parse("every 15 minutes")).isEqualTo(Schedule.everyMinutes(15));
        assertThat(Schedule.parse("hourly at :05")).isEqualTo(Schedule.hourlyAt(5));
        assertThat(Schedule.parse("daily at 02:30")).isEqualTo(Schedule.dailyAt(LocalTime.of(2, 30)));
        assertThat(Schedule.parse("weekly on monday at 09:00"))
                .isEqualTo(Schedule.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(9, 0)));
        assertThat(Schedule.parse("monthly on day 31 at 23:00")).isEqualTo(Schedule.monthlyOn(31, LocalTime.of(23, 0)));
    }

    @Test
    void caseSpacesAndOneDigitHoursDoNotMatter() {
        assertThat(Schedule.parse("  Daily   AT 2:30 ")).hasToString("daily at 02:30");
        assertThat(Schedule.parse("WEEKLY on Monday\tat 9:00")).hasToString("weekly on monday at 09:00");
        assertThat(Schedule.parse("Every 060 Minutes")).hasToString("every 60 minutes");
        assertThat(Schedule.parse("monthly on day 07 at 00:00")).hasToString("monthly on day 7 at 00:00");
    }

    @Test
    void factoriesGiveTheConfigurationText() {
        assertThat(Schedule.everyMinutes(20)).hasToString("every 20 minutes");
        assertThat(Schedule.hourlyAt(7)).hasToString("hourly at :07");
        assertThat(Schedule.dailyAt(LocalTime.of(6, 5))).hasToString("daily at 06:05");
        assertThat(Schedule.weeklyOn(DayOfWeek.WEDNESDAY, LocalTime.NOON)).hasToString("weekly on wednesday at 12:00");
        assertThat(Schedule.monthlyOn(15, LocalTime.MIDNIGHT)).hasToString("monthly on day 15 at 00:00");
    }

    @Test
    void schedulesMoreOftenThanEvery15MinutesAreRefused() {
        assertInvalid(() -> Schedule.parse("every 10 minutes"))
                .hasMessage("Invalid schedule 'every 10 minutes': schedules run at most every 15 minutes");
        assertInvalid(() -> Schedule.parse("Every 1 minute")).hasMessageContaining("'Every 1 minute'")
                .hasMessageContaining("schedules run at most every 15 minutes");
        assertInvalid(() -> Schedule.everyMinutes(14)).hasMessageContaining("schedules run at most every 15 minutes");
        assertInvalid(() -> Schedule.everyMinutes(0)).hasMessageContaining("schedules run at most every 15 minutes");
        assertInvalid(() -> Schedule.everyMinutes(-15)).hasMessageContaining("schedules run at most every 15 minutes");
    }

    @Test
    void schedulesLessOftenThanMonthlyAreRefused() {
        assertInvalid(() -> Schedule.everyMinutes(44_641)).hasMessageContaining("at least once a month");
        assertInvalid(() -> Schedule.parse("every 99999999999 minutes"))
                .hasMessageContaining("'every 99999999999 minutes'").hasMessageContaining("at least once a month");
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheText() {
        assertInvalid(() -> Schedule.parse("hourly at :60")).hasMessage(
                "Invalid schedule 'hourly at :60': the minute of the hour must be from :00 to :59");
        assertInvalid(() -> Schedule.hourlyAt(60)).hasMessageContaining("'hourly at :60'");
        assertInvalid(() -> Schedule.hourlyAt(-1)).hasMessageContaining("from :00 to :59");

        assertInvalid(() -> Schedule.parse("monthly on day 0 at 10:00"))
                .hasMessageContaining("'monthly on day 0 at 10:00'").hasMessageContaining("from 1 to 31");
        assertInvalid(() -> Schedule.parse("monthly on day 32 at 10:00"))
                .hasMessageContaining("'monthly on day 32 at 10:00'").hasMessageContaining("from 1 to 31");
        assertInvalid(() -> Schedule.monthlyOn(0, LocalTime.NOON)).hasMessageContaining("from 1 to 31");
        assertInvalid(() -> Schedule.monthlyOn(32, LocalTime.NOON)).hasMessageContaining("from 1 to 31");

        assertInvalid(() -> Schedule.parse("daily at 24:00"))
                .hasMessage("Invalid schedule 'daily at 24:00': the time must be HH:MM from 00:00 to 23:59");
        assertInvalid(() -> Schedule.parse("weekly on monday at 09:60")).hasMessageContaining("from 00:00 to 23:59");
        assertInvalid(() -> Schedule.parse("weekly on funday at 09:00"))
                .hasMessageContaining("'weekly on funday at 09:00'").hasMessageContaining("monday, tuesday");
    }

    @Test
    void timesWithSecondsAreRefused() {
        assertInvalid(() -> Schedule.dailyAt(LocalTime.of(2, 30, 15)))
                .hasMessage("Invalid schedule 'daily at 02:30:15': the time must be a whole minute, got 02:30:15");
        assertInvalid(() -> Schedule.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(9, 0, 0, 1)))
                .hasMessageContaining("whole minute");
        assertInvalid(() -> Schedule.monthlyOn(1, LocalTime.of(9, 0, 1))).hasMessageContaining("whole minute");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "sometimes", "every 15 hours", "every minutes", "hourly", "hourly at 5", "hourly at :5",
        "daily", "daily at 2:30pm", "daily at 2", "weekly at 09:00", "monthly at 10:00", "monthly on day 1",
        "every 15 minutes please",
    })
    void unrecognisedTextIsRefusedNamingItAndListingTheAcceptedForms(String text) {
        assertInvalid(() -> Schedule.parse(text))
                .hasMessageStartingWith("Invalid schedule '" + text + "': expected one of ")
                .hasMessageContaining("'every N minutes' (N from 15 to 44640)")
                .hasMessageContaining("'hourly at :MM'")
                .hasMessageContaining("'daily at HH:MM'")
                .hasMessageContaining("'weekly on DAY at HH:MM'")
                .hasMessageContaining("'monthly on day D at HH:MM'");
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> Schedule.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.dailyAt(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.weeklyOn(null, LocalTime.NOON)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.everyMinutes(15).nextRunAfter(null, ZoneId.of("UTC")))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.hourlyAt(0).nextRunAfter(Instant.EPOCH, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.parseZone(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ianaZonesAreAccepted() {
        assertThat(Schedule.parseZone("America/New_York")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(Schedule.parseZone("Europe/Paris")).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(Schedule.parseZone("UTC")).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void unknownZonesAreRefusedNamingThem() {
        assertInvalid(() -> Schedule.parseZone("Mars/Olympus_Mons"))
                .hasMessageStartingWith("Unknown time zone 'Mars/Olympus_Mons': expected an IANA time zone name");
        assertInvalid(() -> Schedule.parseZone("")).hasMessageStartingWith("Unknown time zone ''");
        assertInvalid(() -> Schedule.parseZone("america/new_york"))
                .hasMessageContaining("'america/new_york'").hasMessageContaining("did you mean 'America/New_York'?");
        // Fixed offsets parse in java.time but never follow daylight-saving time.
        assertInvalid(() -> Schedule.parseZone("+02:00")).hasMessageContaining("'+02:00'");
        assertInvalid(() -> Schedule.parseZone("GMT+2")).hasMessageContaining("'GMT+2'");
    }
}
