package dev.cdi.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.Locale;
import java.util.Optional;

/**
 * BigQuery's errors as CDI errors, with BigQuery's reason and message kept in the message and the client's exception
 * as the cause. Stateless and thread-safe.
 */
final class BigQueryErrors {

    private BigQueryErrors() {
    }

    /**
     * Wraps a client failure.
     *
     * @param exception the client's exception
     * @param context what was being done, such as {@code Reading table p.d.t}
     * @return the exception to throw
     */
    static CdiException toCdiException(BigQueryException exception, String context) {
        String reason = Optional.ofNullable(exception.getReason()).orElse("");
        ErrorCode code = classify(exception, reason);
        StringBuilder message = new StringBuilder(context).append(" (bigquery): ")
                .append(Optional.ofNullable(exception.getMessage()).orElse(exception.getClass().getName()))
                .append(" [reason ").append(reason.isEmpty() ? "none" : reason).append(", HTTP ")
                .append(exception.getCode()).append(']');
        advice(code, reason, exception).ifPresent(advice -> message.append(". ").append(advice));
        return new CdiException(code, message.toString(), exception);
    }

    static ErrorCode classify(BigQueryException exception, String reason) {
        switch (reason) {
            case "notFound":
                return ErrorCode.TABLE_NOT_FOUND;
            case "accessDenied":
                return ErrorCode.PERMISSION_DENIED;
            case "invalidQuery":
            case "invalid":
                return ErrorCode.STATEMENT_REFUSED;
            case "bytesBilledLimitExceeded":
            case "quotaExceeded":
            case "responseTooLarge":
                return ErrorCode.RESOURCE_EXHAUSTED;
            case "rateLimitExceeded":
            case "backendError":
            case "internalError":
                return ErrorCode.CONNECTION_FAILED;
            default:
                break;
        }
        if (isAuthentication(exception)) {
            return ErrorCode.AUTHENTICATION_FAILED;
        }
        if (exception.getCode() == 403) {
            return ErrorCode.PERMISSION_DENIED;
        }
        if (exception.getCode() == 404) {
            return ErrorCode.TABLE_NOT_FOUND;
        }
        if (exception.getCode() >= 500 || exception.getCode() == 0 || exception.isRetryable()) {
            return ErrorCode.CONNECTION_FAILED;
        }
        return ErrorCode.QUERY_FAILED;
    }

    private static boolean isAuthentication(BigQueryException exception) {
        if (exception.getCode() == 401) {
            return true;
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            String text = Optional.ofNullable(cause.getMessage()).orElse("").toLowerCase(Locale.ROOT);
            if (text.contains("invalid_grant") || text.contains("invalid jwt signature")
                    || text.contains("error getting access token")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> advice(ErrorCode code, String reason, BigQueryException exception) {
        return switch (code) {
            case AUTHENTICATION_FAILED -> Optional.of("Check that the service account's key is the current one (not"
                    + " deleted or revoked in IAM) and that the BigQuery API is enabled for the project");
            case PERMISSION_DENIED -> Optional.of("Grant the service account the roles BigQuery Data Viewer (on the"
                    + " dataset or table), BigQuery Job User and BigQuery User (on the project that runs the queries)");
            case RESOURCE_EXHAUSTED -> reason.equals("bytesBilledLimitExceeded")
                    ? Optional.of("The run's query would scan more than maximumBytesBilled allows; raise it, or"
                            + " partition the table on UPDATED_AT so that a run scans only the new rows")
                    : Optional.empty();
            default -> Optional.ofNullable(exception.getError()).map(BigQueryError::getLocation)
                    .filter(location -> !location.isBlank()).map(location -> "Location: " + location);
        };
    }
}
