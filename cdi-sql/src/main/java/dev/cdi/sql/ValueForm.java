package dev.cdi.sql;

import dev.cdi.api.Experimental;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The form in which a selected column's value arrives from the client, which tells a client binding how to read it.
 * A {@link ColumnMapping} names one per column, chosen once when the table is described, so that reading a row
 * never looks at a type name.
 *
 * <p>Thread-safe (an enum).
 */
@Experimental
public enum ValueForm {
    /** Text: identifiers, JSON payloads. */
    TEXT(Optional.empty()),
    /** A boolean, read as {@code "true"} or {@code "false"}. */
    BOOLEAN(Optional.empty()),
    /** Whole seconds since 1970-01-01T00:00Z, as an integer. */
    EPOCH_SECONDS(Optional.of(ChronoUnit.SECONDS)),
    /** Milliseconds since 1970-01-01T00:00Z, as an integer. */
    EPOCH_MILLIS(Optional.of(ChronoUnit.MILLIS)),
    /** Microseconds since 1970-01-01T00:00Z, as an integer. */
    EPOCH_MICROS(Optional.of(ChronoUnit.MICROS)),
    /** Nanoseconds since 1970-01-01T00:00Z, as an integer. */
    EPOCH_NANOS(Optional.of(ChronoUnit.NANOS)),
    /**
     * UTC wall-clock text, {@code yyyy-MM-dd HH:mm:ss} with 0 to 9 fractional digits after a dot; see
     * {@link UtcTimestamps#parse}.
     */
    UTC_TEXT(Optional.empty()),
    /** A date-time with an offset, which the client returns as such (JDBC: {@link java.time.OffsetDateTime}). */
    OFFSET_DATE_TIME(Optional.empty()),
    /**
     * A zone-less date-time holding UTC wall-clock time (JDBC: {@link java.time.LocalDateTime}); read as UTC whatever
     * the JVM's or the session's time zone.
     */
    LOCAL_DATE_TIME(Optional.empty());

    private final Optional<ChronoUnit> epochUnit;

    ValueForm(Optional<ChronoUnit> epochUnit) {
        this.epochUnit = epochUnit;
    }

    /**
     * The unit of an epoch count.
     *
     * @return the unit for the {@code EPOCH_...} forms, empty for the others
     */
    public Optional<ChronoUnit> epochUnit() {
        return epochUnit;
    }

    /**
     * Whether a value of this form can be read as an instant.
     *
     * @return true for the epoch, UTC text and date-time forms
     */
    public boolean isInstant() {
        return switch (this) {
            case TEXT, BOOLEAN -> false;
            case EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_MICROS, EPOCH_NANOS, UTC_TEXT, OFFSET_DATE_TIME, LOCAL_DATE_TIME ->
                    true;
        };
    }
}
