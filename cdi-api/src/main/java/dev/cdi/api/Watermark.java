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

    /** Validates both parts. */
    public Watermark {
        requireNonNull(updatedAt, "updatedAt is null");
        if (rowsAtUpdatedAt < 0) {
            throw new IllegalArgumentException("rowsAtUpdatedAt must not be negative, was " + rowsAtUpdatedAt);
        }
    }
}
