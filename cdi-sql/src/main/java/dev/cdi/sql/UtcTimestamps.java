package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Exact conversions between instants and the UTC forms warehouses exchange: wall-clock text and epoch counts. None
 * involves the JVM's or a session's time zone. Thread-safe (stateless).
 */
public final class UtcTimestamps {

    private UtcTimestamps() {
    }

    /**
     * Formats an instant as UTC wall-clock text, {@code yyyy-MM-dd HH:mm:ss} followed by as many fractional digits
     * as the unit holds (none, 3, 6 or 9), truncating anything finer.
     *
     * @param value the instant, in the years 0000 to 9999
     * @param precision {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS}, {@link ChronoUnit#MICROS} or
     *        {@link ChronoUnit#NANOS}
     * @return the text, such as {@code 2026-01-02 03:04:05.123456}
     */
    public static String format(Instant value, ChronoUnit precision) {
        requireNonNull(value, "value is null");
        int digits = fractionalDigits(precision);
        LocalDateTime utc = LocalDateTime.ofInstant(value, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " is outside 0000-9999: " + value);
        }
        StringBuilder text = new StringBuilder(32);
        pad(text, year, 4).append('-');
        pad(text, utc.getMonthValue(), 2).append('-');
        pad(text, utc.getDayOfMonth(), 2).append(' ');
        pad(text, utc.getHour(), 2).append(':');
        pad(text, utc.getMinute(), 2).append(':');
        pad(text, utc.getSecond(), 2);
        if (digits > 0) {
            text.append('.');
            String nanos = String.valueOf(1_000_000_000 + utc.getNano()).substring(1);
            text.append(nanos, 0, digits);
        }
        return text.toString();
    }

    /**
     * Parses UTC wall-clock text, {@code yyyy-MM-dd HH:mm:ss} optionally followed by a dot and 1 to 9 fractional
     * digits, exactly. Called once per row by some connectors, so it parses by position rather than through a
     * formatter.
     *
     * @param text the text
     * @return the instant
     * @throws IllegalArgumentException when the text has another form or is out of range
     */
    public static Instant parse(String text) {
        requireNonNull(text, "text is null");
        int yearEnd = text.indexOf('-', 1);
        int length = text.length();
        if (yearEnd < 4 || length < yearEnd + 15 || text.charAt(yearEnd + 3) != '-' || text.charAt(yearEnd + 6) != ' '
                || text.charAt(yearEnd + 9) != ':' || text.charAt(yearEnd + 12) != ':') {
            throw notATimestamp(text);
        }
        int fractionStart = yearEnd + 15;
        int fractionDigits = length - fractionStart - 1;
        if (length != fractionStart && (text.charAt(fractionStart) != '.' || fractionDigits < 1 || fractionDigits > 9)) {
            throw notATimestamp(text);
        }
        try {
            int year = Integer.parseInt(text, 0, yearEnd, 10);
            int month = digits(text, yearEnd + 1, 2);
            int day = digits(text, yearEnd + 4, 2);
            int hour = digits(text, yearEnd + 7, 2);
            int minute = digits(text, yearEnd + 10, 2);
            int second = digits(text, yearEnd + 13, 2);
            if (hour > 23 || minute > 59 || second > 59) {
                throw notATimestamp(text);
            }
            long nanos = 0;
            if (length != fractionStart) {
                nanos = digits(text, fractionStart + 1, fractionDigits);
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
        } catch (RuntimeException e) {
            IllegalArgumentException failure = notATimestamp(text);
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /**
     * The instant a count of units after the epoch stands for, exactly (negative counts are before 1970).
     *
     * @param amount the count, such as microseconds from {@code epoch_us}
     * @param unit {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS}, {@link ChronoUnit#MICROS} or
     *        {@link ChronoUnit#NANOS}
     * @return the instant
     */
    public static Instant fromEpoch(long amount, ChronoUnit unit) {
        long perSecond = switch (fractionalDigits(unit)) {
            case 0 -> 1L;
            case 3 -> 1_000L;
            case 6 -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        long nanosPerUnit = 1_000_000_000L / perSecond;
        return Instant.ofEpochSecond(Math.floorDiv(amount, perSecond), Math.floorMod(amount, perSecond) * nanosPerUnit);
    }

    /**
     * The smallest instant at or after a value that a column of this precision can hold.
     *
     * @param value the instant
     * @param unit the precision
     * @return {@code value} rounded up to the unit
     */
    public static Instant ceil(Instant value, ChronoUnit unit) {
        Instant floor = value.truncatedTo(unit);
        return floor.equals(value) ? value : floor.plus(1, unit);
    }

    private static int fractionalDigits(ChronoUnit unit) {
        requireNonNull(unit, "unit is null");
        return switch (unit) {
            case SECONDS -> 0;
            case MILLIS -> 3;
            case MICROS -> 6;
            case NANOS -> 9;
            default -> throw new IllegalArgumentException("unsupported precision " + unit);
        };
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    private static IllegalArgumentException notATimestamp(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new IllegalArgumentException("'" + shown + "' is not a UTC time of the form yyyy-MM-dd HH:mm:ss[.fraction]");
    }
}
