package dev.cdi.api;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception CDI throws. It carries an {@link ErrorCode}, and through it the
 * {@link ErrorCategory} and whether a retry can help.
 *
 * <p>Messages never contain secrets or bound values. Thread-safe once thrown (immutable).
 */
public class CdiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The code; an enum, so safe to serialize. */
    private final ErrorCode errorCode;

    /**
     * Creates an exception.
     *
     * @param errorCode the code
     * @param message what went wrong, with the context a reader needs
     */
    public CdiException(ErrorCode errorCode, String message) {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /**
     * Creates an exception that wraps its cause.
     *
     * @param errorCode the code
     * @param message what went wrong, with the context a reader needs
     * @param cause the underlying failure, such as an {@code SQLException}
     */
    public CdiException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /**
     * The error code.
     *
     * @return the code
     */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * The category of the error code.
     *
     * @return the category
     */
    public ErrorCategory category() {
        return errorCode.category();
    }

    /**
     * Whether retrying later can help.
     *
     * @return the code's retryable flag
     */
    public boolean retryable() {
        return errorCode.retryable();
    }
}
