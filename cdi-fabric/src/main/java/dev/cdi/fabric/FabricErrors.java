package dev.cdi.fabric;

import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL Server's error numbers as Fabric reports them (the driver's {@link SQLException#getErrorCode() vendor code}), and
 * Microsoft Entra's {@code AADSTS} codes from a refused token request. The number, SQLState and message are kept by
 * {@link dev.cdi.jdbc.JdbcErrors#toCdiException}. Stateless and thread-safe.
 */
final class FabricErrors {
    /** Login failed: the token was refused (wrong, expired, or a principal the workspace does not know). */
    static final int LOGIN_FAILED = 18456;
    /** Cannot open the database requested by the login. */
    static final int CANNOT_OPEN_DATABASE = 4060;
    /** Invalid object name: no such table or view, or one the principal cannot see. */
    static final int INVALID_OBJECT = 208;
    /** Invalid column name. */
    static final int INVALID_COLUMN = 207;
    /** The SELECT permission was denied on an object. */
    static final int PERMISSION_DENIED_ON_OBJECT = 229;
    /** The SELECT permission was denied on a column. */
    static final int PERMISSION_DENIED_ON_COLUMN = 230;
    /** Syntax errors: the statement was refused. */
    private static final Set<Integer> SYNTAX = Set.of(102, 156, 170);
    /**
     * Errors the service reports while it is busy, failing over or throttled; waiting helps (Microsoft's list of
     * transient errors for Azure SQL, which Fabric's endpoint shares).
     */
    private static final Set<Integer> TRANSIENT = Set.of(233, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197,
            40501, 40540, 40613, 42108, 42109, 49918, 49919, 49920, 64);
    /** Entra refused the client secret: wrong (7000215) or expired (7000222). */
    private static final Set<String> SECRET_REFUSED = Set.of("AADSTS7000215", "AADSTS7000222");
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");
    private static final Pattern OBJECT_NAME = Pattern.compile("on the object '([^']*)'.*schema '([^']*)'");

    private FabricErrors() {
    }

    static Optional<ErrorCode> classify(SQLException exception) {
        if (exception instanceof SQLInvalidAuthorizationSpecException) {
            return Optional.of(ErrorCode.AUTHENTICATION_FAILED);
        }
        int code = exception.getErrorCode();
        switch (code) {
            case LOGIN_FAILED, CANNOT_OPEN_DATABASE:
                return Optional.of(ErrorCode.AUTHENTICATION_FAILED);
            case INVALID_OBJECT:
                return Optional.of(ErrorCode.TABLE_NOT_FOUND);
            case PERMISSION_DENIED_ON_OBJECT, PERMISSION_DENIED_ON_COLUMN:
                return Optional.of(ErrorCode.PERMISSION_DENIED);
            case INVALID_COLUMN:
                return Optional.of(ErrorCode.MISSING_COLUMN);
            default:
                break;
        }
        if (SYNTAX.contains(code)) {
            return Optional.of(ErrorCode.STATEMENT_REFUSED);
        }
        if (TRANSIENT.contains(code)) {
            return Optional.of(ErrorCode.CONNECTION_FAILED);
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
     * Advice for a failure, naming what to do in Entra, the Fabric admin portal or the warehouse, or empty.
     *
     * @param exception the failure
     * @param settings the connection settings, for the names
     * @return the advice
     */
    static Optional<String> advice(SQLException exception, FabricSettings settings) {
        Optional<String> aadsts = aadsts(String.valueOf(exception.getMessage()));
        if (aadsts.isPresent()) {
            return Optional.of(entraAdvice(aadsts.get(), settings));
        }
        return switch (exception.getErrorCode()) {
            case LOGIN_FAILED, CANNOT_OPEN_DATABASE -> Optional.of("Fabric refused the service principal's token."
                    + " Check the tenant's prerequisites: in the Fabric admin portal, Tenant settings > Developer"
                    + " settings, 'Service principals can use Fabric APIs' is enabled for the principal (or a group it"
                    + " is in), and under OneLake settings 'Users can access data stored in OneLake with apps external"
                    + " to Fabric' is enabled; the principal (application " + settings.clientId() + ") is a member of"
                    + " the workspace (Manage access) as Contributor or higher; warehouse '" + settings.warehouse()
                    + "' is a warehouse or SQL analytics endpoint of that workspace");
            case PERMISSION_DENIED_ON_OBJECT, PERMISSION_DENIED_ON_COLUMN -> {
                Matcher matcher = OBJECT_NAME.matcher(String.valueOf(exception.getMessage()));
                String object = matcher.find() ? "[" + matcher.group(2) + "].[" + matcher.group(1) + "]" : "<table>";
                yield Optional.of("Give the service principal read access: GRANT SELECT ON " + object
                        + " TO [<app registration's name>] in the warehouse, or make it a workspace Contributor, or share"
                        + " the item with it with 'Read all data using SQL' (ReadData)");
            }
            case INVALID_OBJECT -> Optional.of("Check the table's schema and name (Fabric names are case-sensitive"
                    + " in a warehouse with a case-sensitive collation), and that the principal can see it");
            default -> Optional.empty();
        };
    }

    private static String entraAdvice(String code, FabricSettings settings) {
        if (SECRET_REFUSED.contains(code)) {
            return "Microsoft Entra refused the client secret of application " + settings.clientId() + " (" + code
                    + "): it is wrong or has expired, and Entra secrets always expire. Rotate it: in Entra, App"
                    + " registrations > the app > Certificates & secrets, add a new client secret, set clientSecret to"
                    + " its Value (not its Secret ID), then delete the old secret";
        }
        return switch (code) {
            case "AADSTS700016" -> "Microsoft Entra does not know application " + settings.clientId() + " in tenant "
                    + settings.tenantId() + " (" + code + "): check clientId (the app registration's Application"
                    + " (client) ID) and tenantId (its Directory (tenant) ID)";
            case "AADSTS90002" -> "Microsoft Entra does not know tenant " + settings.tenantId() + " (" + code
                    + "): check tenantId (the app registration's Directory (tenant) ID)";
            default -> "Microsoft Entra refused the token request (" + code + "): check tenantId, clientId and"
                    + " clientSecret";
        };
    }

    private static Optional<String> aadsts(String message) {
        Matcher matcher = AADSTS.matcher(message);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    /**
     * The failure of a token request, which the driver lets escape as a raw {@link RuntimeException}, as an
     * {@link SQLException}: an Entra refusal (an {@code AADSTS} code, kept in the message) as an authorization
     * failure (SQLState 28000), an unreachable authority as a connection failure (08001).
     *
     * @param failure what the credential threw
     * @return the exception to throw from the driver
     */
    static SQLException tokenRequestFailed(RuntimeException failure) {
        String message = firstLine(failure);
        Optional<String> code = Optional.empty();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            code = aadsts(String.valueOf(cause.getMessage()));
            if (code.isPresent()) {
                message = firstLine(cause);
                break;
            }
        }
        if (code.isPresent()) {
            return new SQLInvalidAuthorizationSpecException("Microsoft Entra refused the service principal's token"
                    + " request: " + message, "28000", 0, failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return new SQLNonTransientConnectionException("Cannot reach the Microsoft Entra authority: "
                        + firstLine(cause), "08001", 0, failure);
            }
        }
        return new SQLException("Getting a Microsoft Entra token failed: " + message, "08001", 0, failure);
    }

    private static String firstLine(Throwable throwable) {
        String text = String.valueOf(throwable.getMessage()).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
