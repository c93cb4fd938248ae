package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RowError;

/**
 * A row error as the history keeps it: which run reported it, and where in that run's list.
 *
 * <p>Immutable and thread-safe.
 *
 * @param runId the run that reported the error, not blank
 * @param position the error's place in the run's list, from 0
 * @param error the row error
 */
public record RecordedRowError(String runId, int position, RowError error) {

    /** Validates every part. */
    public RecordedRowError {
        requireNonNull(runId, "runId is null");
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId is blank");
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        requireNonNull(error, "error is null");
    }
}
