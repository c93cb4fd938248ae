package dev.cdi.cli;

/**
 * A mistake in the command line or the configuration file that the user must fix: the command prints its
 * message on one line, without a stack trace, and exits with code 2.
 *
 * <p>Immutable and thread-safe.
 */
final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and where, on one line
     */
    ConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause, kept for debugging only.
     *
     * @param message what is wrong and where, on one line
     * @param cause the underlying failure
     */
    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
