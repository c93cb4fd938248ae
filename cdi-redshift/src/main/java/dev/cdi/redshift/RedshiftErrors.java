package dev.cdi.redshift;

import dev.cdi.api.ErrorCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The Redshift driver's errors that the SQLState mapping of {@link dev.cdi.jdbc.JdbcErrors} would get wrong or
 * miss. That mapping already gives what Redshift reports with a SQLState: {@code 28000}/{@code 28P01} (bad user or
 * password) authentication failed, {@code 42501} permission denied, {@code 42P01}/{@code 3F000} table or schema
 * not found, class {@code 08} (refused, unknown host, timed out, no TLS) connection failed and retryable, class
 * {@code 53} (disk full) resources, {@code 57014} (cancelled, statement timeout, WLM abort) query timeout. What is
 * added here:
 * <ul>
 *   <li>a column of a type the driver does not know (it names the type's id and sets no SQLState), such as
 *       PostgreSQL's {@code jsonb}: invalid column type;</li>
 *   <li>a network failure among the causes of an error without a SQLState (unknown host, refused, no route,
 *       socket timeout): connection failed.</li>
 * </ul>
 * The driver's SQLState and message are kept by {@link dev.cdi.jdbc.JdbcErrors#toCdiException}. Stateless and
 * thread-safe.
 */
final class RedshiftErrors {

    private RedshiftErrors() {
    }

    static Optional<ErrorCode> classify(SQLException exception) {
        if (RedshiftDialect.unknownTypeId(exception).isPresent()) {
            return Optional.of(ErrorCode.INVALID_COLUMN_TYPE);
        }
        String sqlState = exception.getSQLState();
        if (sqlState == null || sqlState.isBlank()) {
            for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof UnknownHostException || cause instanceof ConnectException
                        || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException) {
                    return Optional.of(ErrorCode.CONNECTION_FAILED);
                }
            }
        }
        return Optional.empty();
    }
}
