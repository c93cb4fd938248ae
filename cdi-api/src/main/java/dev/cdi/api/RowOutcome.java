package dev.cdi.api;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link RowSink} did with one row of a batch: accepted it, or rejected it with a row error.
 * Both count as acknowledged: the watermark may move past the row.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RowOutcome {

    /** The one accepted outcome; rows need no more detail than that. */
    RowOutcome ACCEPTED = new Accepted();

    /**
     * The sink applied the row.
     */
    record Accepted() implements RowOutcome {
    }

    /**
     * The sink refused the row for a reason that retrying will not fix.
     *
     * @param code the row error code, such as {@link RowErrorCode#USER_NOT_FOUND}
     * @param message what was wrong, for the user
     */
    record Rejected(RowErrorCode code, String message) implements RowOutcome {
        /** Validates both parts. */
        public Rejected {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Returns the accepted outcome.
     *
     * @return {@link #ACCEPTED}
     */
    static RowOutcome accepted() {
        return ACCEPTED;
    }

    /**
     * Creates a rejection.
     *
     * @param code the row error code
     * @param message what was wrong
     * @return the outcome
     */
    static RowOutcome rejected(RowErrorCode code, String message) {
        return new Rejected(code, message);
    }
}
