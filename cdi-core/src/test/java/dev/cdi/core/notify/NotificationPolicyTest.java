package dev.cdi.core.notify;

import static dev.cdi.core.notify.TestingRuns.completed;
import static dev.cdi.core.notify.TestingRuns.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NotificationPolicyTest {
    private static final NotificationPolicy POLICY = new NotificationPolicy();
    private static final NotificationPreferences NOTHING_OPTIONAL = NotificationPreferences.builder()
            .contactEmails(List.of("ops@example.com", "data@example.com"))
            .build();
    private static final NotificationPreferences EVERYTHING = NOTHING_OPTIONAL.toBuilder()
            .notifyRowErrors(true)
            .notifyOnSuccess(true)
            .notifyOnSuccessWithZeroRows(true)
            .build();

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"ERROR", "CONFIG_ERROR", "LIMIT_EXCEEDED"})
    void syncLevelErrorsAlwaysNotify(RunStatus status) {
        RunResult run = failed(status, new SyncError(ErrorCode.CONNECTION_FAILED, "connection refused"));

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.kind()).isEqualTo(Notification.Kind.SYNC_ERROR);
        assertThat(notification.recipients()).containsExactly("ops@example.com", "data@example.com");
        assertThat(notification.run()).isSameAs(run);
        assertThat(notification.subject()).startsWith("[CDI] orders: sync ");
    }

    @Test
    void runningNeverNotifies() {
        RunResult running = completed(RunStatus.RUNNING, 10, 5, 5, List.of());

        assertThat(POLICY.decide("orders", running, EVERYTHING)).isEmpty();
    }

    @Test
    void connectivityErrorSaysWhatHappenedAndWhatToDo() {
        RunResult run = failed(RunStatus.ERROR,
                new SyncError(ErrorCode.CONNECTION_FAILED, "could not connect to warehouse.example.com:5439"));

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync failed (CONNECTIVITY)");
        assertThat(notification.body())
                .contains("integration \"orders\" failed")
                .contains("Run: run-1")
                .contains("Status: ERROR")
                .contains("Rows read: 0, synced: 0, failed: 0, deferred: 0")
                .contains("Error CONNECTION_FAILED (category CONNECTIVITY): could not connect to "
                        + "warehouse.example.com:5439")
                .contains("Check the network path to the warehouse")
                .contains("retried on the next run");
    }

    @Test
    void adviceFollowsTheErrorCategory() {
        assertAdvice(ErrorCode.AUTHENTICATION_FAILED, "Update the credential");
        assertAdvice(ErrorCode.PERMISSION_DENIED, "SELECT on the source table");
        assertAdvice(ErrorCode.TABLE_NOT_FOUND, "Check that the source table or view exists");
        assertAdvice(ErrorCode.MISSING_COLUMN, "Fix the source table's columns");
        assertAdvice(ErrorCode.RESOURCE_EXHAUSTED, "out of a resource");
        assertAdvice(ErrorCode.INVALID_CONFIGURATION, "Correct the integration's configuration");
        assertAdvice(ErrorCode.SINK_FAILED, "Check the sink's own log");
        assertAdvice(ErrorCode.SINK_CONTRACT_VIOLATED, "the sink's code has a defect");
    }

    @Test
    void configErrorNamesItsCategory() {
        RunResult run = failed(RunStatus.CONFIG_ERROR,
                new SyncError(ErrorCode.MISSING_COLUMN, "UPDATED_AT is missing"));

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync failed (SCHEMA)");
        assertThat(notification.body()).contains("Status: CONFIG_ERROR", "UPDATED_AT is missing");
    }

    @Test
    void rowLimitExceededSaysToRaiseTheLimitOrReset() {
        RunResult run = failed(RunStatus.LIMIT_EXCEEDED,
                new SyncError(ErrorCode.ROW_LIMIT_EXCEEDED, "found 600 new rows, more than the row limit of 500"));

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync stopped, row limit exceeded");
        assertThat(notification.body())
                .contains("more than the row limit of 500")
                .contains("Raise the row limit, or reset the integration");
    }

    @Test
    void syncErrorWithoutDetailStillNotifies() {
        RunResult run = new RunResult("run-9", "orders", RunStatus.ERROR, TestingRuns.STARTED, TestingRuns.FINISHED,
                0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync failed");
        assertThat(notification.body()).contains("without an error message", "log for run run-9");
    }

    @Test
    void rowErrorsAreNotNotifiedByDefault() {
        RunResult run = completed(RunStatus.PARTIAL, 100, 50, 50, List.of());

        assertThat(POLICY.decide("orders", run, NOTHING_OPTIONAL)).isEmpty();
    }

    @Test
    void rowErrorsExactlyAtTheThresholdNotify() {
        RunResult run = completed(RunStatus.PARTIAL, 200, 180, 20, List.of());

        Optional<Notification> notification = POLICY.decide("orders", run, rowErrorsFrom(10));

        assertThat(notification).map(Notification::kind).contains(Notification.Kind.ROW_ERRORS);
        assertThat(notification.orElseThrow().subject()).isEqualTo("[CDI] orders: 20 of 200 rows failed (10.0%)");
    }

    @Test
    void rowErrorsBelowTheThresholdDoNotNotify() {
        RunResult run = completed(RunStatus.PARTIAL, 200, 181, 19, List.of());

        assertThat(POLICY.decide("orders", run, rowErrorsFrom(10))).isEmpty();
    }

    @Test
    void rowErrorsJustBelowAThresholdThatDoesNotDivideEvenlyDoNotNotify() {
        // 1 of 3 is 33.33...%, below 34 and above 33.
        RunResult run = completed(RunStatus.PARTIAL, 3, 2, 1, List.of());

        assertThat(POLICY.decide("orders", run, rowErrorsFrom(34))).isEmpty();
        assertThat(POLICY.decide("orders", run, rowErrorsFrom(33))).isPresent();
    }

    @Test
    void thresholdZeroNeedsAtLeastOneFailedRow() {
        assertThat(POLICY.decide("orders", completed(RunStatus.PARTIAL, 1000, 999, 1, List.of()), rowErrorsFrom(0)))
                .isPresent();
        assertThat(POLICY.decide("orders", completed(RunStatus.PARTIAL, 1000, 1000, 0, List.of()), rowErrorsFrom(0)))
                .isEmpty();
    }

    @Test
    void thresholdHundredNeedsEveryRowFailed() {
        assertThat(POLICY.decide("orders", completed(RunStatus.PARTIAL, 10, 0, 10, List.of()), rowErrorsFrom(100)))
                .isPresent();
        assertThat(POLICY.decide("orders", completed(RunStatus.PARTIAL, 10, 1, 9, List.of()), rowErrorsFrom(100)))
                .isEmpty();
    }

    @Test
    void zeroRowsReadHasNoRowErrorsToNotify() {
        RunResult run = completed(RunStatus.PARTIAL, 0, 0, 0, List.of());

        assertThat(POLICY.decide("orders", run, rowErrorsFrom(0))).isEmpty();
    }

    @Test
    void aPartialRunIsNeverNotifiedAsASuccess() {
        RunResult run = completed(RunStatus.PARTIAL, 100, 99, 1, List.of());
        NotificationPreferences successOnly = NOTHING_OPTIONAL.toBuilder()
                .notifyOnSuccess(true).notifyOnSuccessWithZeroRows(true).build();

        assertThat(POLICY.decide("orders", run, successOnly)).isEmpty();
    }

    @Test
    void rowErrorBodyListsTheFirstErrorsWithoutPayloadsOrIdentifierValues() {
        List<RowError> errors = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            errors.add(new RowError(RowErrorCode.INVALID_EMAIL, "EMAIL is not a valid email address",
                    Optional.of(new Identifier.ExternalId("customer-" + i)),
                    Optional.of(Instant.parse("2026-02-28T12:00:0" + i + "Z")),
                    Optional.of("{\"secret_attribute\":\"do-not-leak-" + i + "\"}")));
        }
        errors.add(new RowError(RowErrorCode.NULL_UPDATED_AT, "UPDATED_AT is NULL", Optional.empty(),
                Optional.empty(), Optional.of("{\"secret_attribute\":\"do-not-leak-null\"}")));
        RunResult run = completed(RunStatus.PARTIAL, 40, 30, 10, errors);

        Notification notification = POLICY.decide("orders", run, rowErrorsFrom(5)).orElseThrow();

        assertThat(notification.body())
                .contains("integration \"orders\" completed with row errors")
                .contains("Rows read: 40, synced: 30, failed: 10, deferred: 0")
                .contains("10 of 40 rows read failed (25.0%, threshold 5%); 30 rows were synced.")
                .contains("- INVALID_EMAIL: EMAIL is not a valid email address (UPDATED_AT 2026-02-28T12:00:00Z)")
                .contains("(UPDATED_AT 2026-02-28T12:00:04Z)")
                .doesNotContain("2026-02-28T12:00:05Z")
                .contains("and 5 more; see the row errors of run run-1.")
                .contains("Fix these rows in the source table")
                .contains("not retried until their UPDATED_AT changes")
                .doesNotContain("secret_attribute", "do-not-leak", "customer-");
    }

    @Test
    void rowErrorWithNullUpdatedAtIsShownAsNull() {
        RowError error = new RowError(RowErrorCode.NULL_UPDATED_AT, "UPDATED_AT is NULL", Optional.empty(),
                Optional.empty(), Optional.empty());
        RunResult run = completed(RunStatus.PARTIAL, 1, 0, 1, List.of(error));

        Notification notification = POLICY.decide("orders", run, rowErrorsFrom(0)).orElseThrow();

        assertThat(notification.body()).contains("- NULL_UPDATED_AT: UPDATED_AT is NULL (UPDATED_AT NULL)")
                .doesNotContain("more; see");
    }

    @Test
    void successIsNotifiedOnlyWhenAskedFor() {
        RunResult run = completed(RunStatus.SUCCESS, 120, 120, 0, List.of());

        assertThat(POLICY.decide("orders", run, NOTHING_OPTIONAL)).isEmpty();
        assertThat(POLICY.decide("orders", run, NOTHING_OPTIONAL.toBuilder().notifyOnSuccessWithZeroRows(true).build()))
                .isEmpty();
        Notification notification = POLICY.decide("orders", run,
                NOTHING_OPTIONAL.toBuilder().notifyOnSuccess(true).build()).orElseThrow();

        assertThat(notification.kind()).isEqualTo(Notification.Kind.SUCCESS);
        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync succeeded, 120 rows synced");
        assertThat(notification.body())
                .contains("integration \"orders\" succeeded")
                .contains("Rows read: 120, synced: 120, failed: 0")
                .contains("Last UPDATED_AT processed: 2026-03-01T09:59:00Z");
    }

    @Test
    void successWithZeroRowsIsNotifiedOnlyByItsOwnFlag() {
        RunResult run = new RunResult("run-1", "orders", RunStatus.SUCCESS, TestingRuns.STARTED, TestingRuns.FINISHED,
                0, 0, 0, 4, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());

        assertThat(POLICY.decide("orders", run, NOTHING_OPTIONAL)).isEmpty();
        assertThat(POLICY.decide("orders", run, NOTHING_OPTIONAL.toBuilder().notifyOnSuccess(true).build())).isEmpty();
        Notification notification = POLICY.decide("orders", run,
                NOTHING_OPTIONAL.toBuilder().notifyOnSuccessWithZeroRows(true).build()).orElseThrow();

        assertThat(notification.kind()).isEqualTo(Notification.Kind.SUCCESS_ZERO_ROWS);
        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync succeeded, no new rows");
        assertThat(notification.body())
                .contains("no new row to sync; 4 rows newer than the settle lag were left for a later run")
                .contains("sets UPDATED_AT");
    }

    @Test
    void integrationNameIsKeptOnOneLineInTheSubject() {
        RunResult run = failed(RunStatus.ERROR, new SyncError(ErrorCode.QUERY_TIMEOUT, "timed out"));

        Notification notification = POLICY.decide("orders\r\nBcc: x@evil.com", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders Bcc: x@evil.com: sync failed (CONNECTIVITY)");
    }

    private static void assertAdvice(ErrorCode code, String advice) {
        RunResult run = failed(RunStatus.ERROR, new SyncError(code, "message of " + code));

        Notification notification = POLICY.decide("orders", run, NOTHING_OPTIONAL).orElseThrow();

        assertThat(notification.subject()).isEqualTo("[CDI] orders: sync failed (" + code.category() + ")");
        assertThat(notification.body()).contains("message of " + code, "category " + code.category(), advice);
    }

    private static NotificationPreferences rowErrorsFrom(int thresholdPercent) {
        return NOTHING_OPTIONAL.toBuilder().notifyRowErrors(true).rowErrorThresholdPercent(thresholdPercent).build();
    }
}
