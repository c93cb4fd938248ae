package dev.cdi.api;

import static java.util.Objects.requireNonNull;

/**
 * The sync-level error that stopped a run.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code the error code (and through it the category and whether a retry helps)
 * @param message what went wrong and what to do
 */
public record SyncError(ErrorCode code, String message) {

    /** Validates both parts. */
    public SyncError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    /**
     * The error's category.
     *
     * @return the category of the code
     */
    public ErrorCategory category() {
        return code.category();
    }

    /**
     * The error of an exception.
     *
     * @param exception the exception
     * @return its code and message
     */
    public static SyncError of(CdiException exception) {
        return new SyncError(exception.errorCode(), exception.getMessage());
    }
}
