package dev.cdi.api;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a declared connection setting ({@link SettingDefinition}): how its text is read and checked. Every
 * setting is written as text in {@link ConnectorSettings}; a type says which texts are accepted.
 *
 * <p>Thread-safe (an enum).
 */
@Experimental
public enum SettingType {
    /** Any text. A required one must not be blank. */
    STRING("string"),
    /**
     * A whole number (a {@code long}), optionally between a declared {@link SettingDefinition#minimum()} and
     * {@link SettingDefinition#maximum()}.
     */
    INTEGER("integer"),
    /** {@code true} or {@code false}, case and surrounding blanks ignored. */
    BOOLEAN("boolean"),
    /**
     * A length of time, never negative: an ISO-8601 duration such as {@code PT30S} or {@code PT1H30M}, a whole number
     * of seconds such as {@code 30}, or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
     * {@code 1d}. Case is ignored. Optionally between a declared minimum and maximum.
     */
    DURATION("duration"),
    /**
     * A local file path. A command line resolves a relative one against its configuration file's directory; a
     * value starting with {@code :} (such as DuckDB's {@code :memory:}) is no file and is kept as written.
     */
    PATH("path"),
    /** One of the declared {@link SettingDefinition#allowedValues()}, case ignored; read as the declared spelling. */
    ENUM("enum");

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final Pattern WHOLE_SECONDS = Pattern.compile("[0-9]{1,12}");
    private static final Pattern WITH_UNIT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    private static final int MAX_ECHO = 80;

    private final String displayName;

    SettingType(String displayName) {
        this.displayName = displayName;
    }

    /**
     * The type's name as documentation shows it, such as {@code duration}.
     *
     * @return the lower-case name
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Checks a value of a setting of this type and returns it in its canonical form: a whole number in decimal,
     * {@code true} or {@code false}, a duration in ISO-8601 ({@link Duration#toString()}), a path or a string as
     * given (a path without surrounding blanks), an enum value as declared.
     *
     * @param definition the setting, which has this type; its key names the setting in errors
     * @param value the text to check
     * @return the canonical text
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the key when the value is not of this
     *         type or out of the setting's range; a secret setting's value is never shown
     */
    String canonical(SettingDefinition definition, String value) {
        switch (this) {
            case STRING:
                return value;
            case INTEGER:
                long number = parseInteger(definition, value);
                definition.minimum().map(minimum -> parseInteger(definition, minimum)).ifPresent(minimum -> {
                    if (number < minimum) {
                        throw outOfRange(definition, Long.toString(number));
                    }
                });
                definition.maximum().map(maximum -> parseInteger(definition, maximum)).ifPresent(maximum -> {
                    if (number > maximum) {
                        throw outOfRange(definition, Long.toString(number));
                    }
                });
                return Long.toString(number);
            case BOOLEAN:
                switch (value.strip().toLowerCase(Locale.ROOT)) {
                    case "true":
                        return "true";
                    case "false":
                        return "false";
                    default:
                        throw invalid(definition, "must be true or false", value);
                }
            case DURATION:
                Duration duration = parseDuration(definition, value);
                definition.minimum().map(minimum -> parseDuration(definition, minimum)).ifPresent(minimum -> {
                    if (duration.compareTo(minimum) < 0) {
                        throw outOfRange(definition, duration.toString());
                    }
                });
                definition.maximum().map(maximum -> parseDuration(definition, maximum)).ifPresent(maximum -> {
                    if (duration.compareTo(maximum) > 0) {
                        throw outOfRange(definition, duration.toString());
                    }
                });
                return duration.toString();
            case PATH:
                String path = value.strip();
                if (path.isEmpty()) {
                    throw invalid(definition, "must be a file path", value);
                }
                try {
                    Path.of(path);
                } catch (InvalidPathException e) {
                    throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + definition.key()
                            + "' is not a valid file path: " + (definition.secret() ? "" : e.getReason()), e);
                }
                return path;
            case ENUM:
                String stripped = value.strip();
                for (String allowed : definition.allowedValues()) {
                    if (allowed.equalsIgnoreCase(stripped)) {
                        return allowed;
                    }
                }
                throw invalid(definition, "must be one of " + String.join(", ", definition.allowedValues()), value);
        }
        throw new AssertionError(this);
    }

    private static long parseInteger(SettingDefinition definition, String value) {
        String stripped = value.strip();
        if (!WHOLE_NUMBER.matcher(stripped).matches()) {
            throw invalid(definition, "must be a whole number", value);
        }
        return Long.parseLong(stripped);
    }

    private static Duration parseDuration(SettingDefinition definition, String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        Matcher withUnit = WITH_UNIT.matcher(text);
        if (WHOLE_SECONDS.matcher(text).matches()) {
            duration = Duration.ofSeconds(Long.parseLong(text));
        } else if (withUnit.matches()) {
            long amount = Long.parseLong(withUnit.group(1));
            switch (withUnit.group(2)) {
                case "ms":
                    duration = Duration.ofMillis(amount);
                    break;
                case "s":
                    duration = Duration.ofSeconds(amount);
                    break;
                case "m":
                    duration = Duration.ofMinutes(amount);
                    break;
                case "h":
                    duration = Duration.ofHours(amount);
                    break;
                default:
                    duration = Duration.ofDays(amount);
                    break;
            }
        } else {
            try {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(definition, "must be a duration such as PT30S, 30s, 5m or a whole number of seconds",
                        value);
            }
        }
        if (duration.isNegative()) {
            throw invalid(definition, "must not be negative", value);
        }
        return duration;
    }

    /**
     * Reads a duration that {@link #canonical} accepted.
     *
     * @param canonical the canonical text
     * @return the duration
     */
    static Duration durationOf(String canonical) {
        return Duration.parse(canonical);
    }

    private static CdiException outOfRange(SettingDefinition definition, String canonicalValue) {
        String range;
        if (definition.minimum().isPresent() && definition.maximum().isPresent()) {
            range = "between " + definition.minimum().get() + " and " + definition.maximum().get();
        } else if (definition.minimum().isPresent()) {
            range = "at least " + definition.minimum().get();
        } else {
            range = "at most " + definition.maximum().orElseThrow();
        }
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + definition.key() + "' must be "
                + range + (definition.secret() ? "" : ", was " + canonicalValue));
    }

    private static CdiException invalid(SettingDefinition definition, String expected, String value) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + definition.key() + "' "
                + expected + (definition.secret() ? "" : ", was '" + echo(value) + "'"));
    }

    /** A value as an error may show it: control characters escaped, long values shortened. */
    static String echo(String value) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < value.length() && i < MAX_ECHO; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (value.length() > MAX_ECHO) {
            shown.append("...");
        }
        return shown.toString();
    }
}
