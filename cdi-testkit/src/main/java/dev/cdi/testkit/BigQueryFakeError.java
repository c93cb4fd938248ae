package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

/**
 * An error the fake BigQuery server answers in Google's JSON error shape ({@code error.code}, {@code error.message},
 * {@code error.errors[{reason, message, domain}]}, {@code error.status}), so that the real client raises a
 * {@code BigQueryException} carrying the HTTP code and the reason. Immutable.
 */
final class BigQueryFakeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpCode;
    private final String reason;
    private final String status;

    BigQueryFakeError(int httpCode, String reason, String status, String message) {
        super(requireNonNull(message, "message is null"));
        this.httpCode = httpCode;
        this.reason = requireNonNull(reason, "reason is null");
        this.status = requireNonNull(status, "status is null");
    }

    static BigQueryFakeError notUnderstood(String what) {
        return invalidQuery("The fake BigQuery server (TestingBigQueryServer) does not understand " + what);
    }

    static BigQueryFakeError invalidQuery(String message) {
        return new BigQueryFakeError(400, "invalidQuery", "INVALID_ARGUMENT", message);
    }

    static BigQueryFakeError invalid(String message) {
        return new BigQueryFakeError(400, "invalid", "INVALID_ARGUMENT", message);
    }

    static BigQueryFakeError notFound(String message) {
        return new BigQueryFakeError(404, "notFound", "NOT_FOUND", message);
    }

    static BigQueryFakeError tableNotFound(String project, String dataset, String table) {
        return notFound("Not found: Table " + project + ":" + dataset + "." + table);
    }

    static BigQueryFakeError accessDenied(String message) {
        return new BigQueryFakeError(403, "accessDenied", "PERMISSION_DENIED", message);
    }

    static BigQueryFakeError unauthenticated() {
        return new BigQueryFakeError(401, "unauthorized", "UNAUTHENTICATED",
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie"
                        + " or other valid authentication credential.");
    }

    static BigQueryFakeError bytesBilledLimitExceeded(long limit, long required) {
        return new BigQueryFakeError(400, "bytesBilledLimitExceeded", "INVALID_ARGUMENT",
                "Query exceeded limit for bytes billed: " + limit + ". " + required + " or higher required.");
    }

    /** An injected failure: {@code rateLimitExceeded} (403), {@code backendError} (500) or any other reason. */
    static BigQueryFakeError injected(String reason) {
        return switch (reason) {
            case "rateLimitExceeded" -> new BigQueryFakeError(403, reason, "PERMISSION_DENIED",
                    "Exceeded rate limits: too many api requests per user per method for this user_method.");
            case "backendError" -> new BigQueryFakeError(500, reason, "INTERNAL",
                    "Backend error. Job aborted.");
            case "internalError" -> new BigQueryFakeError(500, reason, "INTERNAL",
                    "An internal error occurred and the request could not be completed.");
            case "quotaExceeded" -> new BigQueryFakeError(403, reason, "PERMISSION_DENIED",
                    "Quota exceeded: Your project exceeded quota for concurrent queries.");
            case "accessDenied" -> accessDenied("Access Denied: injected by the test.");
            case "notFound" -> notFound("Not found: injected by the test.");
            default -> new BigQueryFakeError(400, reason, "INVALID_ARGUMENT", "Injected error " + reason + ".");
        };
    }

    int httpCode() {
        return httpCode;
    }

    String reason() {
        return reason;
    }

    String status() {
        return status;
    }
}
