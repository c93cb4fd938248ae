package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An error the fake Databricks SQL warehouse answers the way Databricks does: a failed statement carries the API
 * error code ({@code BAD_REQUEST}, ...), the SQLSTATE and a message that starts with the error class in brackets
 * and ends with {@code SQLSTATE: xxxxx}; an HTTP-level error is a status with {@code {"error_code", "message"}}.
 * Immutable.
 */
final class DatabricksFakeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;
    private final Optional<String> sqlState;
    private final boolean statementFailure;

    private DatabricksFakeError(int httpStatus, String errorCode, Optional<String> sqlState, String message,
            boolean statementFailure) {
        super(requireNonNull(message, "message is null"));
        this.httpStatus = httpStatus;
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
        this.statementFailure = statementFailure;
    }

    /** A statement that ran and failed with an error class and SQLSTATE (the HTTP answer itself is 200). */
    static DatabricksFakeError statement(String errorClass, String sqlState, String text) {
        return new DatabricksFakeError(200, "BAD_REQUEST", Optional.of(sqlState),
                "[" + errorClass + "] " + text + " SQLSTATE: " + sqlState, true);
    }

    /** An HTTP error answer, such as 401 or 404. */
    static DatabricksFakeError http(int status, String errorCode, String message) {
        return new DatabricksFakeError(status, errorCode, Optional.empty(), message, false);
    }

    static DatabricksFakeError notUnderstood(String what) {
        return statement("PARSE_SYNTAX_ERROR", "42601",
                "The fake Databricks SQL warehouse (TestingDatabricksServer) does not understand " + what + ".");
    }

    static DatabricksFakeError tableNotFound(String name) {
        return statement("TABLE_OR_VIEW_NOT_FOUND", "42P01", "The table or view " + name + " cannot be found. Verify"
                + " the spelling and correctness of the schema and catalog.");
    }

    static DatabricksFakeError unresolvedColumn(String name) {
        return statement("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703", "A column, variable, or function parameter"
                + " with name " + name + " cannot be resolved.");
    }

    static DatabricksFakeError insufficientPermissions(String privilege, String securableKind, String securable,
            String principal) {
        return statement("INSUFFICIENT_PERMISSIONS", "42501", "Insufficient privileges: User " + principal
                + " does not have " + privilege + " on " + securableKind + " '" + securable + "'.");
    }

    static DatabricksFakeError invalidToken() {
        return http(401, "UNAUTHENTICATED", "Invalid access token.");
    }

    boolean statementFailure() {
        return statementFailure;
    }

    int httpStatus() {
        return httpStatus;
    }

    String errorCode() {
        return errorCode;
    }

    Optional<String> sqlState() {
        return sqlState;
    }
}
