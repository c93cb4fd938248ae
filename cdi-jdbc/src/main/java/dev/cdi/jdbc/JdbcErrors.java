package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a driver's {@link SQLException} onto an {@link ErrorCode} and wraps it in a {@link CdiException}.
 *
 * <p>The dialect's {@link JdbcDialect#classifyVendorError} is asked first, for each exception of the chain
 * (causes and {@link SQLException#getNextException() next exceptions}); then the first SQLState found:
 * <ul>
 *   <li>class {@code 08}, {@code 57P01}-{@code 57P03} (server shutting down or starting): connection failed (retryable)</li>
 *   <li>class {@code 28}: authentication failed</li>
 *   <li>{@code 42501}: permission denied</li>
 *   <li>{@code 42P01}, {@code 42S02}, {@code 3F000}: table (or its schema) not found</li>
 *   <li>{@code 42703}, {@code 42S22}: a column is missing</li>
 *   <li>class {@code 53}: resources exhausted (retryable)</li>
 *   <li>other states of classes {@code 42} and {@code 0A}: the statement was refused (a configuration problem)</li>
 *   <li>class {@code 22}: a value could not be read (a schema problem)</li>
 *   <li>{@code 57014}, {@code HYT00}, {@code HYT01}, {@code HY008}: query timed out or was cancelled (retryable)</li>
 * </ul>
 * then the exception's type (connection, authorization and timeout subclasses of {@link SQLException}, or an
 * {@link IOException} among the causes); anything else is {@link ErrorCode#QUERY_FAILED}.
 *
 * <p>Stateless and thread-safe.
 */
public final class JdbcErrors {

    private static final int MAX_DRIVER_MESSAGE_LENGTH = 2_000;
    private static final int MAX_CHAIN_LENGTH = 10;

    private JdbcErrors() {
    }

    /**
     * Classifies a driver error.
     *
     * @param exception the error
     * @param dialect the dialect whose vendor codes are consulted first
     * @return the error code
     */
    public static ErrorCode classify(SQLException exception, JdbcDialect dialect) {
        requireNonNull(exception, "exception is null");
        requireNonNull(dialect, "dialect is null");
        List<Throwable> chain = chain(exception);
        for (Throwable throwable : chain) {
            if (throwable instanceof SQLException sqlException) {
                Optional<ErrorCode> vendor = dialect.classifyVendorError(sqlException);
                if (vendor.isPresent()) {
                    return vendor.get();
                }
            }
        }
        Optional<ErrorCode> bySqlState = sqlState(chain).flatMap(JdbcErrors::fromSqlState);
        if (bySqlState.isPresent()) {
            return bySqlState.get();
        }
        for (Throwable throwable : chain) {
            if (throwable instanceof SQLTimeoutException) {
                return ErrorCode.QUERY_TIMEOUT;
            }
            if (throwable instanceof SQLInvalidAuthorizationSpecException) {
                return ErrorCode.AUTHENTICATION_FAILED;
            }
            if (throwable instanceof SQLTransientConnectionException
                    || throwable instanceof SQLNonTransientConnectionException
                    || throwable instanceof IOException) {
                return ErrorCode.CONNECTION_FAILED;
            }
        }
        return ErrorCode.QUERY_FAILED;
    }

    /**
     * Wraps a driver error. The message is the context, the driver's message (and those of its causes, when
     * they add anything), the SQLState and the vendor code, then the dialect's {@link JdbcDialect#advice advice} if
     * it has any; the driver error is the cause. Bound values are never part of it.
     *
     * @param exception the driver error
     * @param dialect the dialect that classifies it
     * @param context what was being done, such as {@code Reading table main.users}
     * @return the exception to throw
     */
    public static CdiException toCdiException(SQLException exception, JdbcDialect dialect, String context) {
        requireNonNull(context, "context is null");
        ErrorCode code = classify(exception, dialect);
        List<Throwable> chain = chain(exception);
        StringBuilder message = new StringBuilder(context).append(" (").append(dialect.name()).append("): ");
        List<String> seen = new ArrayList<>();
        for (Throwable throwable : chain) {
            String text = throwable.getMessage();
            if (text == null || text.isBlank() || seen.stream().anyMatch(known -> known.contains(text.strip()))) {
                continue;
            }
            if (!seen.isEmpty()) {
                message.append("; caused by: ");
            }
            seen.add(text.strip());
            message.append(truncate(text.strip()));
        }
        if (seen.isEmpty()) {
            message.append(exception.getClass().getName());
        }
        message.append(" [SQLState ").append(sqlState(chain).orElse("none"))
                .append(", vendor code ").append(exception.getErrorCode()).append(']');
        for (Throwable throwable : chain) {
            Optional<String> advice = throwable instanceof SQLException sql ? dialect.advice(sql) : Optional.empty();
            if (advice.isPresent()) {
                message.append(". ").append(advice.get());
                break;
            }
        }
        return new CdiException(code, message.toString(), exception);
    }

    private static Optional<ErrorCode> fromSqlState(String sqlState) {
        ErrorCode exact = switch (sqlState) {
            case "42501" -> ErrorCode.PERMISSION_DENIED;
            case "42P01", "42S02", "3F000" -> ErrorCode.TABLE_NOT_FOUND;
            case "42703", "42S22" -> ErrorCode.MISSING_COLUMN;
            case "57014", "HYT00", "HYT01", "HY008" -> ErrorCode.QUERY_TIMEOUT;
            case "57P01", "57P02", "57P03" -> ErrorCode.CONNECTION_FAILED;
            default -> null;
        };
        if (exact != null) {
            return Optional.of(exact);
        }
        if (sqlState.startsWith("08")) {
            return Optional.of(ErrorCode.CONNECTION_FAILED);
        }
        if (sqlState.startsWith("28")) {
            return Optional.of(ErrorCode.AUTHENTICATION_FAILED);
        }
        if (sqlState.startsWith("53")) {
            return Optional.of(ErrorCode.RESOURCE_EXHAUSTED);
        }
        if (sqlState.startsWith("42") || sqlState.startsWith("0A")) {
            return Optional.of(ErrorCode.STATEMENT_REFUSED);
        }
        if (sqlState.startsWith("22")) {
            return Optional.of(ErrorCode.DATA_UNREADABLE);
        }
        return Optional.empty();
    }

    private static Optional<String> sqlState(List<Throwable> chain) {
        for (Throwable throwable : chain) {
            if (throwable instanceof SQLException sqlException) {
                String state = sqlException.getSQLState();
                if (state != null && !state.isBlank()) {
                    return Optional.of(state.strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The exception, its causes and next exceptions, depth first, without repeats. */
    private static List<Throwable> chain(SQLException exception) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(exception, chain, seen);
        return chain;
    }

    private static void collect(Throwable throwable, List<Throwable> chain, Set<Throwable> seen) {
        Throwable current = throwable;
        while (current != null && chain.size() < MAX_CHAIN_LENGTH && seen.add(current)) {
            chain.add(current);
            if (current instanceof SQLException sqlException && sqlException.getNextException() != null) {
                collect(sqlException.getNextException(), chain, seen);
            }
            current = current.getCause();
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_DRIVER_MESSAGE_LENGTH
                ? text
                : text.substring(0, MAX_DRIVER_MESSAGE_LENGTH) + "... (" + text.length() + " characters)";
    }
}
