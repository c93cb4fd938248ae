package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

/**
 * An error the fake Snowflake server answers with Snowflake's own code, SQLState and message, so that the real
 * driver raises a {@code SnowflakeSQLException} carrying them. Not thread-safe to mutate (it is not mutable).
 */
final class SnowflakeFakeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Key-pair login refused (wrong key, unknown user, bad claims, expired token). */
    static final String JWT_INVALID = "390144";
    /** Password login refused. */
    static final String INCORRECT_USERNAME_PASSWORD = "390100";
    /** The session token is unknown (closed or never opened). */
    static final String SESSION_GONE = "390111";
    /** Compilation error: syntax the fake does not understand. */
    static final String SYNTAX_ERROR = "001003";
    /** Object does not exist or not authorized. */
    static final String OBJECT_NOT_FOUND = "002003";
    /** Invalid identifier (unknown column). */
    static final String INVALID_IDENTIFIER = "000904";
    /** No active warehouse selected in the current session. */
    static final String NO_ACTIVE_WAREHOUSE = "000606";
    /** The query was canceled (abort request). */
    static final String CANCELED = "000604";
    /** Execution error inside the warehouse. */
    static final String EXECUTION_ERROR = "100000";

    private final String code;
    private final String sqlState;

    SnowflakeFakeError(String code, String sqlState, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
    }

    static SnowflakeFakeError notUnderstood(String what) {
        return new SnowflakeFakeError(SYNTAX_ERROR, "42000",
                "SQL compilation error:\nThe fake Snowflake server (TestingSnowflakeServer) does not understand " + what);
    }

    static SnowflakeFakeError objectNotFound(String name) {
        return new SnowflakeFakeError(OBJECT_NOT_FOUND, "42S02",
                "SQL compilation error:\nObject '" + name + "' does not exist or not authorized.");
    }

    static SnowflakeFakeError invalidIdentifier(String identifier) {
        return new SnowflakeFakeError(INVALID_IDENTIFIER, "42000",
                "SQL compilation error: error line 1 at position 0\ninvalid identifier '" + identifier + "'");
    }

    static SnowflakeFakeError noActiveWarehouse() {
        return new SnowflakeFakeError(NO_ACTIVE_WAREHOUSE, "57P03",
                "No active warehouse selected in the current session.  Select an active warehouse with the"
                        + " 'use warehouse' command.\n");
    }

    static SnowflakeFakeError jwtInvalid(String why) {
        // Snowflake does not say why; the fake adds the reason in brackets, where Snowflake puts a request id.
        return new SnowflakeFakeError(JWT_INVALID, "08001", "JWT token is invalid. [" + why + "]");
    }

    String code() {
        return code;
    }

    String sqlState() {
        return sqlState;
    }
}
