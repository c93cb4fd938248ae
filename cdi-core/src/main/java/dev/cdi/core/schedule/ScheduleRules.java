package dev.cdi.core.schedule;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;

/**
 * The range rules of schedules and their configuration text, shared by the records (which name their own canonical
 * text when refused) and the parser (which names the text the user wrote).
 */
final class ScheduleRules {
    private ScheduleRules() {}

    static Optional<String> everyMinutesProblem(long minutes) {
        if (minutes < Schedule.EveryMinutes.MIN_MINUTES) {
            return Optional.of("schedules run at most every " + Schedule.EveryMinutes.MIN_MINUTES + " minutes");
        }
        if (minutes > Schedule.EveryMinutes.MAX_MINUTES) {
            return Optional.of("schedules run at least once a month, so at most every "
                    + Schedule.EveryMinutes.MAX_MINUTES + " minutes (31 days)");
        }
        return Optional.empty();
    }

    static Optional<String> minuteProblem(int minute) {
        if (minute < 0 || minute > 59) {
            return Optional.of("the minute of the hour must be from :00 to :59");
        }
        return Optional.empty();
    }

    static Optional<String> dayOfMonthProblem(int dayOfMonth) {
        if (dayOfMonth < 1 || dayOfMonth > 31) {
            return Optional.of("the day of the month must be from 1 to 31 (past the month's end means its last day)");
        }
        return Optional.empty();
    }

    static Optional<String> timeProblem(LocalTime at) {
        if (at.getSecond() != 0 || at.getNano() != 0) {
            return Optional.of("the time must be a whole minute, got " + at);
        }
        return Optional.empty();
    }

    static void check(Optional<String> problem, String text) {
        if (problem.isPresent()) {
            throw invalid(text, problem.get());
        }
    }

    static CdiException invalid(String text, String reason) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, "Invalid schedule '" + text + "': " + reason);
    }

    static String everyMinutesText(int minutes) {
        return "every " + minutes + " minutes";
    }

    static String hourlyText(int minute) {
        return String.format(Locale.ROOT, "hourly at :%02d", minute);
    }

    static String dailyText(LocalTime at) {
        return "daily at " + timeText(at);
    }

    static String weeklyText(DayOfWeek day, LocalTime at) {
        return "weekly on " + day.name().toLowerCase(Locale.ROOT) + " at " + timeText(at);
    }

    static String monthlyText(int dayOfMonth, LocalTime at) {
        return "monthly on day " + dayOfMonth + " at " + timeText(at);
    }

    private static String timeText(LocalTime at) {
        // LocalTime.toString would add seconds when they are not zero; a refused time is still named as written.
        return at.getSecond() == 0 && at.getNano() == 0
                ? String.format(Locale.ROOT, "%02d:%02d", at.getHour(), at.getMinute())
                : at.toString();
    }
}
