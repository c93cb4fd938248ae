package dev.cdi.core.schedule;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads schedules and time zones from configuration text. */
final class ScheduleParser {
    private static final String TIME = "(\\d{1,2}):(\\d{2})";
    private static final Pattern EVERY_MINUTES = Pattern.compile("every (\\d{1,18}) minutes?");
    private static final Pattern HOURLY = Pattern.compile("hourly at :(\\d{2})");
    private static final Pattern DAILY = Pattern.compile("daily at " + TIME);
    private static final Pattern WEEKLY = Pattern.compile("weekly on ([a-z]+) at " + TIME);
    private static final Pattern MONTHLY = Pattern.compile("monthly on day (\\d{1,9}) at " + TIME);
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final String ACCEPTED_FORMS = "'every N minutes' (N from " + Schedule.EveryMinutes.MIN_MINUTES
            + " to " + Schedule.EveryMinutes.MAX_MINUTES + "), 'hourly at :MM', 'daily at HH:MM', "
            + "'weekly on DAY at HH:MM' (DAY from monday to sunday), "
            + "'monthly on day D at HH:MM' (D from 1 to 31, past the month's end means its last day)";

    private ScheduleParser() {}

    static Schedule parse(String text) {
        requireNonNull(text, "text is null");
        String normalized = SPACES.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
        Matcher matcher = EVERY_MINUTES.matcher(normalized);
        if (matcher.matches()) {
            long minutes = Long.parseLong(matcher.group(1));
            ScheduleRules.check(ScheduleRules.everyMinutesProblem(minutes), text);
            return new Schedule.EveryMinutes((int) minutes);
        }
        matcher = HOURLY.matcher(normalized);
        if (matcher.matches()) {
            int minute = Integer.parseInt(matcher.group(1));
            ScheduleRules.check(ScheduleRules.minuteProblem(minute), text);
            return new Schedule.Hourly(minute);
        }
        matcher = DAILY.matcher(normalized);
        if (matcher.matches()) {
            return new Schedule.Daily(time(matcher, 1, text));
        }
        matcher = WEEKLY.matcher(normalized);
        if (matcher.matches()) {
            return new Schedule.Weekly(day(matcher.group(1), text), time(matcher, 2, text));
        }
        matcher = MONTHLY.matcher(normalized);
        if (matcher.matches()) {
            int dayOfMonth = Integer.parseInt(matcher.group(1));
            ScheduleRules.check(ScheduleRules.dayOfMonthProblem(dayOfMonth), text);
            return new Schedule.Monthly(dayOfMonth, time(matcher, 2, text));
        }
        throw ScheduleRules.invalid(text, "expected one of " + ACCEPTED_FORMS);
    }

    static ZoneId parseZone(String name) {
        requireNonNull(name, "name is null");
        Set<String> known = ZoneId.getAvailableZoneIds();
        if (known.contains(name)) {
            return ZoneId.of(name);
        }
        Optional<String> sameButCase = known.stream().filter(name::equalsIgnoreCase).findFirst();
        throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Unknown time zone '" + name + "': "
                + sameButCase.map(zone -> "did you mean '" + zone + "'? Names are case-sensitive")
                        .orElse("expected an IANA time zone name such as 'America/New_York', 'Europe/Paris' or 'UTC'"));
    }

    private static LocalTime time(Matcher matcher, int firstGroup, String text) {
        int hour = Integer.parseInt(matcher.group(firstGroup));
        int minute = Integer.parseInt(matcher.group(firstGroup + 1));
        if (hour > 23 || minute > 59) {
            throw ScheduleRules.invalid(text, "the time must be HH:MM from 00:00 to 23:59");
        }
        return LocalTime.of(hour, minute);
    }

    private static DayOfWeek day(String name, String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().toLowerCase(Locale.ROOT).equals(name)) {
                return day;
            }
        }
        throw ScheduleRules.invalid(text, "the day must be one of monday, tuesday, wednesday, thursday, friday, "
                + "saturday, sunday");
    }
}
