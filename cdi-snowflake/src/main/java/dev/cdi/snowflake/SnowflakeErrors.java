package dev.cdi.snowflake;

import dev.cdi.api.ErrorCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Snowflake's error codes, which the driver reports as the {@link SQLException#getErrorCode() vendor code} (its
 * SQLStates are often generic). The driver's code, SQLState and message are kept by
 * {@link dev.cdi.jdbc.JdbcErrors#toCdiException}. Stateless and thread-safe.
 */
final class SnowflakeErrors {
    /** The JWT was refused: the key is not the user's (neither RSA_PUBLIC_KEY nor RSA_PUBLIC_KEY_2), or expired. */
    static final int JWT_INVALID = 390144;
    /** Incorrect username or password (also an unknown user). */
    static final int INCORRECT_USER_OR_PASSWORD = 390100;
    /** "Object ... does not exist or not authorized": Snowflake does not tell the two apart. */
    static final int OBJECT_NOT_FOUND_OR_NOT_AUTHORIZED = 2003;
    /** "No active warehouse selected in the current session": no warehouse set, or no USAGE on it. */
    static final int NO_ACTIVE_WAREHOUSE = 606;
    /** "Insufficient privileges to operate on ...". */
    static final int INSUFFICIENT_PRIVILEGES = 3001;
    /** The statement's SQL does not compile. */
    static final int SQL_COMPILATION_ERROR = 1003;
    /** The statement reached STATEMENT_TIMEOUT_IN_SECONDS. */
    static final int STATEMENT_TIMEOUT = 604;

    private static final Set<Integer> AUTHENTICATION = Set.of(JWT_INVALID, INCORRECT_USER_OR_PASSWORD, 390101, 390102,
            390106, 390201, 390318);

    private SnowflakeErrors() {
    }

    static Optional<ErrorCode> classify(SQLException exception) {
        int code = exception.getErrorCode();
        if (AUTHENTICATION.contains(code)) {
            return Optional.of(ErrorCode.AUTHENTICATION_FAILED);
        }
        switch (code) {
            case OBJECT_NOT_FOUND_OR_NOT_AUTHORIZED:
                return Optional.of(ErrorCode.TABLE_NOT_FOUND);
            case NO_ACTIVE_WAREHOUSE:
            case INSUFFICIENT_PRIVILEGES:
                return Optional.of(ErrorCode.PERMISSION_DENIED);
            case SQL_COMPILATION_ERROR:
                return Optional.of(ErrorCode.STATEMENT_REFUSED);
            case STATEMENT_TIMEOUT:
                return Optional.of(ErrorCode.QUERY_TIMEOUT);
            default:
                break;
        }
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException || cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException) {
                return Optional.of(ErrorCode.CONNECTION_FAILED);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether Snowflake refused the key itself, so that the previous key may be tried during a rotation.
     *
     * @param exception the login's failure
     * @return true for an invalid JWT
     */
    static boolean keyRefused(SQLException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == JWT_INVALID) {
                return true;
            }
        }
        return false;
    }

    /**
     * Advice for a failure, naming what to run on the warehouse side, or empty.
     *
     * @param exception the failure
     * @param user the configured user
     * @param warehouse the configured warehouse, if any
     * @param role the configured role, if any
     * @return the advice
     */
    static Optional<String> advice(SQLException exception, String user, Optional<String> warehouse,
            Optional<String> role) {
        String roleName = role.orElse("<role>");
        return switch (exception.getErrorCode()) {
            case OBJECT_NOT_FOUND_OR_NOT_AUTHORIZED -> Optional.of("Snowflake says the same when the table exists but"
                    + " the role may not read it: check the name, and GRANT USAGE ON DATABASE, GRANT USAGE ON SCHEMA and"
                    + " GRANT SELECT ON the table TO ROLE " + roleName);
            case NO_ACTIVE_WAREHOUSE -> Optional.of("set the connection's warehouse and GRANT USAGE ON WAREHOUSE "
                    + warehouse.orElse("<warehouse>") + " TO ROLE " + roleName);
            case JWT_INVALID -> Optional.of("Snowflake refused the key: run the ALTER USER " + user
                    + " SET RSA_PUBLIC_KEY='...' statement that CDI showed for this key (cdi keygen --snowflake prints"
                    + " it), and compare DESC USER's RSA_PUBLIC_KEY_FP with the key's fingerprint");
            default -> Optional.empty();
        };
    }
}
