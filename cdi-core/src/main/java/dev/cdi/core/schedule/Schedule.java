package dev.cdi.core.schedule;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * When an integration runs: every N minutes, hourly, daily, weekly or monthly, interpreted in the workspace's IANA
 * time zone (SPEC section 9). A schedule is read from configuration text with {@link #parse(String)}, and its
 * {@link #toString()} gives that text back:
 * <ul>
 *   <li>{@code every 15 minutes}: N from 15 to 44,640 (31 days), see {@link EveryMinutes};</li>
 *   <li>{@code hourly at :05}: see {@link Hourly};</li>
 *   <li>{@code daily at 02:30}: see {@link Daily};</li>
 *   <li>{@code weekly on monday at 09:00}: see {@link Weekly};</li>
 *   <li>{@code monthly on day 31 at 23:00}: a day past the month's end means its last day, see {@link Monthly}.</li>
 * </ul>
 *
 * <p>{@link #nextRunAfter(Instant, ZoneId)} gives the first run strictly after a given instant. The daily, weekly and
 * monthly schedules run once on each local date they are due, whatever the daylight-saving changes of that night:
 * <ul>
 *   <li>when the local time does not exist that day (a daily 02:30 on the night the clock skips from 02:00 to 03:00),
 *       the run happens at the first instant after the gap, the moment the clock jumps (03:00 local). This keeps the
 *       runs of that night in the order of their configured times: a 02:30 run never comes after a 03:15 one, as it
 *       would if it were moved by the gap's length (03:30, {@code java.time}'s default);</li>
 *   <li>when the local time happens twice (a daily 01:30 on the night the clock goes back from 02:00 to 01:00), the
 *       run happens once, at the earlier of the two instants.</li>
 * </ul>
 * {@link Hourly} and {@link EveryMinutes} count real time instead; their Javadoc says how.
 *
 * <p>Schedules are immutable and thread-safe; {@code nextRunAfter} is a pure function and may be called any number of
 * times from any thread.
 */
public sealed interface Schedule
        permits Schedule.EveryMinutes, Schedule.Hourly, Schedule.Daily, Schedule.Weekly, Schedule.Monthly {

    /**
     * The first run time strictly after {@code previous}.
     *
     * <p>The result depends only on the arguments, so a scheduler passes the last scheduled run time (not the time
     * the run finished, nor a "sync now" run) and the schedule does not drift. When {@code previous} is long past, the
     * result may be in the past too; a scheduler that does not want to catch up passes the current time instead.
     *
     * @param previous the instant after which the next run is wanted, typically the last scheduled run time
     * @param zone the workspace's time zone, in which local times, dates and days are read
     * @return the next run time, always after {@code previous} and on a whole minute
     */
    Instant nextRunAfter(Instant previous, ZoneId zone);

    /**
     * The configuration text of this schedule, in the canonical form that {@link #parse(String)} reads back, such as
     * {@code daily at 02:30}.
     *
     * @return the configuration text
     */
    @Override
    String toString();

    /**
     * Reads a schedule from configuration text. Case and runs of spaces do not matter; times are 24-hour
     * {@code H:MM} or {@code HH:MM}, days are English day names.
     *
     * @param text one of {@code every N minutes}, {@code hourly at :MM}, {@code daily at HH:MM},
     *     {@code weekly on DAY at HH:MM}, {@code monthly on day D at HH:MM}
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the text and what is wrong with it:
     *     a value out of range, or a text of no accepted form (then listing the accepted forms)
     */
    static Schedule parse(String text) {
        return ScheduleParser.parse(text);
    }

    /**
     * Reads a workspace time zone: an IANA time zone name such as {@code America/New_York}, {@code Europe/Paris} or
     * {@code UTC}. Fixed offsets such as {@code +02:00} are refused, because they never follow daylight-saving time
     * and so would shift the local run times twice a year.
     *
     * @param name the IANA name, matched exactly (case matters)
     * @return the zone
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the unknown zone (and the known one
     *     it matches when only the case differs)
     */
    static ZoneId parseZone(String name) {
        return ScheduleParser.parseZone(name);
    }

    /**
     * A schedule that runs every {@code minutes} real minutes.
     *
     * @param minutes the interval, from {@value EveryMinutes#MIN_MINUTES} to {@value EveryMinutes#MAX_MINUTES}
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the interval is out of range
     */
    static EveryMinutes everyMinutes(int minutes) {
        return new EveryMinutes(minutes);
    }

    /**
     * A schedule that runs every hour at a minute.
     *
     * @param minute the minute of the hour, from 0 to 59
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the minute is out of range
     */
    static Hourly hourlyAt(int minute) {
        return new Hourly(minute);
    }

    /**
     * A schedule that runs every day at a local time.
     *
     * @param at the local time, a whole minute
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the time has seconds
     */
    static Daily dailyAt(LocalTime at) {
        return new Daily(at);
    }

    /**
     * A schedule that runs every week on a day at a local time.
     *
     * @param day the day of the week
     * @param at the local time, a whole minute
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the time has seconds
     */
    static Weekly weeklyOn(DayOfWeek day, LocalTime at) {
        return new Weekly(day, at);
    }

    /**
     * A schedule that runs every month on a day at a local time.
     *
     * @param dayOfMonth the day of the month, from 1 to 31; past the month's end means its last day
     * @param at the local time, a whole minute
     * @return the schedule
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the day is out of range or the time has
     *     seconds
     */
    static Monthly monthlyOn(int dayOfMonth, LocalTime at) {
        return new Monthly(dayOfMonth, at);
    }

    /**
     * Runs every {@code minutes} real minutes, at the instants that are a whole number of intervals after the Unix
     * epoch (1970-01-01T00:00Z).
     *
     * <p>The runs are a fixed grid in real time: they never drift, whatever the previous run's delay, and every
     * interval is exactly {@code minutes} long, also across daylight-saving changes (the time zone is not used). So on
     * the night the clock goes back an hour, {@code every 15 minutes} runs four times in each of the two 01:00 hours,
     * and when the interval divides 60 the runs fall on the same minutes of every hour in zones with whole-hour
     * offsets ({@code every 15 minutes}: :00, :15, :30, :45). A run at a local time of day is {@link Daily}'s job:
     * {@code every 1440 minutes} runs at midnight UTC.
     *
     * @param minutes the interval, from {@value #MIN_MINUTES} to {@value #MAX_MINUTES}
     */
    record EveryMinutes(int minutes) implements Schedule {
        /** The shortest interval: schedules run at most every 15 minutes. */
        public static final int MIN_MINUTES = 15;
        /** The longest interval, 31 days: schedules run at least once a month. */
        public static final int MAX_MINUTES = 44_640;

        /** Validates the interval. */
        public EveryMinutes {
            ScheduleRules.check(ScheduleRules.everyMinutesProblem(minutes), ScheduleRules.everyMinutesText(minutes));
        }

        @Override
        public Instant nextRunAfter(Instant previous, ZoneId zone) {
            requireNonNull(previous, "previous is null");
            requireNonNull(zone, "zone is null");
            long interval = minutes * 60L;
            return Instant.ofEpochSecond(Math.floorDiv(previous.getEpochSecond(), interval) * interval + interval);
        }

        @Override
        public String toString() {
            return ScheduleRules.everyMinutesText(minutes);
        }
    }

    /**
     * Runs every real hour, at the instants whose local minute of the hour is {@code minute}.
     *
     * <p>"Hourly" means every real hour, so across a daylight-saving change runs stay an hour apart: on the night the
     * clock goes back, the repeated hour's local time (01:05 in {@code hourly at :05}) gets a run each time it
     * happens, 25 runs that day; on the night it skips an hour, that hour gets none, 23 runs that day. In the few
     * zones whose offset changes by half an hour ({@code Australia/Lord_Howe}) one interval that night is 30 or 90
     * minutes long; in zones with a half-hour offset ({@code Asia/Kolkata}) {@code :05} local is {@code :35} UTC.
     *
     * @param minute the minute of the hour, from 0 to 59
     */
    record Hourly(int minute) implements Schedule {
        /** Validates the minute. */
        public Hourly {
            ScheduleRules.check(ScheduleRules.minuteProblem(minute), ScheduleRules.hourlyText(minute));
        }

        @Override
        public Instant nextRunAfter(Instant previous, ZoneId zone) {
            requireNonNull(previous, "previous is null");
            requireNonNull(zone, "zone is null");
            return WallClock.nextAtMinuteOfHour(previous, minute, zone.getRules());
        }

        @Override
        public String toString() {
            return ScheduleRules.hourlyText(minute);
        }
    }

    /**
     * Runs once every local day at a local time; see {@link Schedule} for the nights when that time does not exist or
     * happens twice.
     *
     * @param at the local time, a whole minute
     */
    record Daily(LocalTime at) implements Schedule {
        /** Validates the time. */
        public Daily {
            requireNonNull(at, "at is null");
            ScheduleRules.check(ScheduleRules.timeProblem(at), ScheduleRules.dailyText(at));
        }

        @Override
        public Instant nextRunAfter(Instant previous, ZoneId zone) {
            requireNonNull(previous, "previous is null");
            requireNonNull(zone, "zone is null");
            LocalDate date = WallClock.firstCandidateDate(previous, zone);
            while (true) {
                Instant run = WallClock.resolve(date.atTime(at), zone.getRules());
                if (run.isAfter(previous)) {
                    return run;
                }
                date = date.plusDays(1);
            }
        }

        @Override
        public String toString() {
            return ScheduleRules.dailyText(at);
        }
    }

    /**
     * Runs once every week on a day at a local time; see {@link Schedule} for the nights when that time does not
     * exist or happens twice.
     *
     * @param day the day of the week
     * @param at the local time, a whole minute
     */
    record Weekly(DayOfWeek day, LocalTime at) implements Schedule {
        /** Validates the day and time. */
        public Weekly {
            requireNonNull(day, "day is null");
            requireNonNull(at, "at is null");
            ScheduleRules.check(ScheduleRules.timeProblem(at), ScheduleRules.weeklyText(day, at));
        }

        @Override
        public Instant nextRunAfter(Instant previous, ZoneId zone) {
            requireNonNull(previous, "previous is null");
            requireNonNull(zone, "zone is null");
            LocalDate date = WallClock.firstCandidateDate(previous, zone).with(TemporalAdjusters.previousOrSame(day));
            while (true) {
                Instant run = WallClock.resolve(date.atTime(at), zone.getRules());
                if (run.isAfter(previous)) {
                    return run;
                }
                date = date.plusWeeks(1);
            }
        }

        @Override
        public String toString() {
            return ScheduleRules.weeklyText(day, at);
        }
    }

    /**
     * Runs once every month on a day at a local time. A day past the month's end means the month's last day: day 31
     * runs on April 30 and on February 28 (29 in leap years). See {@link Schedule} for the nights when the time does
     * not exist or happens twice.
     *
     * @param dayOfMonth the day of the month, from 1 to 31
     * @param at the local time, a whole minute
     */
    record Monthly(int dayOfMonth, LocalTime at) implements Schedule {
        /** Validates the day and time. */
        public Monthly {
            requireNonNull(at, "at is null");
            String text = ScheduleRules.monthlyText(dayOfMonth, at);
            ScheduleRules.check(ScheduleRules.dayOfMonthProblem(dayOfMonth), text);
            ScheduleRules.check(ScheduleRules.timeProblem(at), text);
        }

        @Override
        public Instant nextRunAfter(Instant previous, ZoneId zone) {
            requireNonNull(previous, "previous is null");
            requireNonNull(zone, "zone is null");
            YearMonth month = YearMonth.from(WallClock.firstCandidateDate(previous, zone));
            while (true) {
                LocalDate date = month.atDay(Math.min(dayOfMonth, month.lengthOfMonth()));
                Instant run = WallClock.resolve(date.atTime(at), zone.getRules());
                if (run.isAfter(previous)) {
                    return run;
                }
                month = month.plusMonths(1);
            }
        }

        @Override
        public String toString() {
            return ScheduleRules.monthlyText(dayOfMonth, at);
        }
    }
}
