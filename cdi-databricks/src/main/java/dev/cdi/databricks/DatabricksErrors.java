package dev.cdi.databricks;

import dev.cdi.api.ErrorCode;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Databricks driver's errors mean. A statement that failed on the warehouse carries Databricks' SQLSTATE
 * (42P01 for {@code TABLE_OR_VIEW_NOT_FOUND}, 42501 for {@code INSUFFICIENT_PERMISSIONS}, ...), which the shared
 * mapping reads; the error class stays in the message. Failures of the REST calls themselves (logging in, an HTTP
 * 401 or 403) carry the driver's own states {@code CONNECTION_ERROR} and {@code EXECUTE_STATEMENT_FAILED} with the
 * HTTP answer in the message, which this class reads.
 *
 * <p>Stateless and thread-safe.
 */
final class DatabricksErrors {

    /** The message of the connector's own warm-up failure, so that advice can recognise it. */
    static final String WAREHOUSE_NOT_STARTED = "The SQL warehouse did not start within";

    private static final Pattern MISSING_PRIVILEGE = Pattern.compile(
            "does not have (USE CATALOG|USE SCHEMA|SELECT|[A-Z ]+?) on (Catalog|Schema|Table|View) '([^']+)'",
            Pattern.CASE_INSENSITIVE);

    private DatabricksErrors() {
    }

    /**
     * Classifies what the shared SQLState mapping cannot: the driver's own failures of REST calls.
     *
     * @param exception one exception of the chain
     * @return the error code, or empty to let the shared mapping decide
     */
    static Optional<ErrorCode> classify(SQLException exception) {
        String state = exception.getSQLState() == null ? "" : exception.getSQLState();
        String message = lower(exception);
        if (exception.getMessage() != null && exception.getMessage().startsWith(WAREHOUSE_NOT_STARTED)) {
            return Optional.of(ErrorCode.CONNECTION_FAILED);
        }
        if (state.equals("STATEMENT_EXECUTION_TIMEOUT")) {
            return Optional.of(ErrorCode.QUERY_TIMEOUT);
        }
        if (!state.equals("CONNECTION_ERROR") && !state.equals("EXECUTE_STATEMENT_FAILED")) {
            return Optional.empty();
        }
        if (refusedCredentials(message)) {
            return Optional.of(ErrorCode.AUTHENTICATION_FAILED);
        }
        if (message.contains("(http 403)") || message.contains("permissiondenied") || message.contains("permission_denied")) {
            return Optional.of(ErrorCode.PERMISSION_DENIED);
        }
        return Optional.of(ErrorCode.CONNECTION_FAILED);
    }

    private static boolean refusedCredentials(String message) {
        return message.contains("(http 401)") || message.contains("unauthenticated")
                || message.contains("invalid access token") || message.contains("invalid_client")
                || message.contains("token expired") || message.contains("credential was not sent");
    }

    /**
     * What to do about an error, naming the grants to run.
     *
     * @param exception one exception of the chain
     * @param settings the connector's settings
     * @return the advice, if there is any
     */
    static Optional<String> advice(SQLException exception, DatabricksSettings settings) {
        String text = exception.getMessage() == null ? "" : exception.getMessage();
        String message = text.toLowerCase(Locale.ROOT);
        String principal = settings.principalForAdvice();
        if (text.contains(WAREHOUSE_NOT_STARTED)) {
            return Optional.of("Start the warehouse in the workspace (SQL Warehouses), raise warmupTimeout, or use a"
                    + " serverless SQL warehouse, which starts in seconds; the next run tries again");
        }
        Matcher missing = MISSING_PRIVILEGE.matcher(text);
        if (message.contains("insufficient_permissions") || missing.find()) {
            String grant = missing.find(0)
                    ? "GRANT " + missing.group(1).toUpperCase(Locale.ROOT) + " ON "
                            + missing.group(2).toUpperCase(Locale.ROOT) + " " + quoted(missing.group(3)) + " TO "
                            + principal + "; "
                    : "";
            return Optional.of("Grant the privileges a read needs in Unity Catalog: " + grant
                    + "a read needs USE CATALOG on the catalog, USE SCHEMA on the schema and SELECT on the table");
        }
        if (message.contains("table_or_view_not_found")) {
            return Optional.of("Check the table name (catalog.schema.table; 'catalog' and 'schema' settings complete"
                    + " shorter names), and that " + principal + " has USE CATALOG, USE SCHEMA and SELECT on it");
        }
        String state = exception.getSQLState() == null ? "" : exception.getSQLState();
        if ((state.equals("CONNECTION_ERROR") || state.equals("EXECUTE_STATEMENT_FAILED"))
                && refusedCredentials(message)) {
            if (settings.authentication() instanceof DatabricksSettings.ServicePrincipal) {
                return Optional.of("Databricks refused the service principal's OAuth secret: check clientId and"
                        + " clientSecret. OAuth secrets expire: create a new one for the service principal (account"
                        + " console or workspace settings, Identity and access, Service principals, Secrets)");
            }
            return Optional.of("Databricks refused the token: it may have expired or been revoked. Create a new"
                    + " personal access token (Settings, Developer, Access tokens), or log in as a service principal"
                    + " with clientId and clientSecret");
        }
        if ((state.equals("CONNECTION_ERROR") || state.equals("EXECUTE_STATEMENT_FAILED"))
                && message.contains("(http 403)")) {
            return Optional.of("Give " + principal + " the CAN USE permission on the SQL warehouse, and workspace"
                    + " access (Databricks SQL access) to its user or service principal");
        }
        return Optional.empty();
    }

    private static String quoted(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("\\.")) {
            out.append(out.length() == 0 ? "" : ".").append('`').append(part.replace("`", "``")).append('`');
        }
        return out.toString();
    }

    private static String lower(SQLException exception) {
        return exception.getMessage() == null ? "" : exception.getMessage().toLowerCase(Locale.ROOT);
    }
}
