package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How far an integration has synced: the greatest {@code UPDATED_AT} value whose whole group of rows was
 * delivered, at source precision, and how many rows had exactly that value.
 *
 * <p>Immutable and thread-safe.
 *
 * @param updatedAt the greatest fully synced {@code UPDATED_AT}
 * @param rowsAtUpdatedAt the number of rows that had exactly that value when it was synced (0 after an explicit
 *        reset to an instant)
 */
public record Watermark(Instant updatedAt, long rowsAtUpdatedAt) {

    /**
     * The earliest {@code UPDATED_AT} CDI handles: {@code 0001-01-01T00:00:00Z}. A row below it ({@code -infinity},
     * a year BC) is a row error {@link RowErrorCode#INVALID_UPDATED_AT}, and no read starts below it.
     */
    public static final Instant MIN_UPDATED_AT = Instant.parse("0001-01-01T00:00:00Z");

    /**
     * The latest {@code UPDATED_AT} CDI handles: {@code 9999-12-31T23:59:59.999999999Z}. A row above it
     * ({@code +infinity}) is never inside a run's upper bound, so it is counted as deferred.
     */
    public static final Instant MAX_UPDATED_AT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Validates both parts. */
    public Watermark {
        requireNonNull(updatedAt, "updatedAt is null");
        if (rowsAtUpdatedAt < 0) {
            throw new IllegalArgumentException("rowsAtUpdatedAt must not be negative, was " + rowsAtUpdatedAt);
        }
    }
}
