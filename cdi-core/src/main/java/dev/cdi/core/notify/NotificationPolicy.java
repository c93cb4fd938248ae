package dev.cdi.core.notify;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.core.ErrorAdvice;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a finished run deserves a {@link Notification} and writes it: which integration, what happened,
 * and what to do.
 *
 * <p>The rules, by the run's status:
 * <ul>
 *   <li>{@code ERROR}, {@code CONFIG_ERROR}, {@code LIMIT_EXCEEDED}: always, {@link Notification.Kind#SYNC_ERROR};
 *   <li>{@code PARTIAL}: {@link Notification.Kind#ROW_ERRORS} when row errors are notified, at least one row
 *       failed and {@code rowsFailed * 100 >= threshold * rowsRead} (exact integer arithmetic, so a share exactly at
 *       the threshold notifies); never as a success;
 *   <li>{@code SUCCESS} with rows synced: {@link Notification.Kind#SUCCESS} when successes are notified;
 *   <li>{@code SUCCESS} with no row synced: {@link Notification.Kind#SUCCESS_ZERO_ROWS} when zero-row successes
 *       are notified (the success flag alone does not cover them, so that frequent empty runs do not flood the
 *       inbox);
 *   <li>{@code RUNNING}: never.
 * </ul>
 * Bodies list at most {@link #ROW_ERRORS_SHOWN} row errors with their code, message and {@code UPDATED_AT}; they
 * never contain payloads or identifier values.
 *
 * <p>Stateless and thread-safe; {@link #decide} may be called any number of times.
 */
public final class NotificationPolicy {

    /** The most row errors a notification body lists. */
    public static final int ROW_ERRORS_SHOWN = 5;

    /** Creates the policy. */
    public NotificationPolicy() {
    }

    /**
     * Decides whether the run deserves a notification, and writes it.
     *
     * @param integration the integration's name, as the user knows it
     * @param run the finished run
     * @param preferences the integration's notification preferences
     * @return the notification to send, or empty when the preferences do not ask for one
     */
    public Optional<Notification> decide(String integration, RunResult run, NotificationPreferences preferences) {
        requireNonNull(integration, "integration is null");
        requireNonNull(run, "run is null");
        requireNonNull(preferences, "preferences is null");
        String name = oneLine(integration);
        switch (run.status()) {
            case RUNNING:
                return Optional.empty();
            case ERROR:
            case CONFIG_ERROR:
            case LIMIT_EXCEEDED:
                return Optional.of(syncError(name, run, preferences));
            case PARTIAL:
                return rowErrorsReachThreshold(run, preferences)
                        ? Optional.of(rowErrors(name, run, preferences))
                        : Optional.empty();
            case SUCCESS:
                if (run.rowsSynced() == 0) {
                    return preferences.notifyOnSuccessWithZeroRows()
                            ? Optional.of(successWithZeroRows(name, run, preferences))
                            : Optional.empty();
                }
                return preferences.notifyOnSuccess()
                        ? Optional.of(success(name, run, preferences))
                        : Optional.empty();
        }
        throw new IllegalStateException("unknown run status " + run.status());
    }

    private static boolean rowErrorsReachThreshold(RunResult run, NotificationPreferences preferences) {
        if (!preferences.notifyRowErrors() || run.rowsFailed() == 0) {
            return false;
        }
        // Integer arithmetic so that a share exactly at the threshold is never lost to rounding.
        return run.rowsFailed() * 100 >= (long) preferences.rowErrorThresholdPercent() * run.rowsRead();
    }

    private static Notification syncError(String name, RunResult run, NotificationPreferences preferences) {
        String subject = run.status() == RunStatus.LIMIT_EXCEEDED
                ? "[CDI] " + name + ": sync stopped, row limit exceeded"
                : "[CDI] " + name + ": sync failed"
                        + run.error().map(error -> " (" + error.category() + ")").orElse("");
        StringBuilder body = header(name, run, "failed");
        body.append("\nWhat happened\n");
        Optional<SyncError> error = run.error();
        if (error.isPresent()) {
            body.append("Error ").append(error.get().code()).append(" (category ").append(error.get().category())
                    .append("): ").append(error.get().message()).append('\n');
        } else {
            body.append("The run ended ").append(run.status()).append(" without an error message.\n");
        }
        body.append("\nWhat to do\n").append(syncErrorAdvice(run)).append('\n');
        return new Notification(preferences.contactEmails(), subject, body.toString(), run,
                Notification.Kind.SYNC_ERROR);
    }

    private static String syncErrorAdvice(RunResult run) {
        boolean limit = run.status() == RunStatus.LIMIT_EXCEEDED
                || run.error().map(error -> error.code() == ErrorCode.ROW_LIMIT_EXCEEDED).orElse(false);
        if (limit) {
            return ErrorAdvice.rowLimitExceeded();
        }
        Optional<ErrorCategory> category = run.error().map(SyncError::category);
        if (category.isEmpty()) {
            return "Look in the application's log for run " + run.runId() + ".";
        }
        return ErrorAdvice.forCategory(category.get());
    }

    private static Notification rowErrors(String name, RunResult run, NotificationPreferences preferences) {
        String share = percent(run);
        String subject = "[CDI] " + name + ": " + run.rowsFailed() + " of " + run.rowsRead() + " rows failed ("
                + share + ")";
        StringBuilder body = header(name, run, "completed with row errors");
        body.append("\nWhat happened\n")
                .append(run.rowsFailed()).append(" of ").append(run.rowsRead()).append(" rows read failed (")
                .append(share).append(", threshold ").append(preferences.rowErrorThresholdPercent())
                .append("%); ").append(run.rowsSynced()).append(" rows were synced.\n");
        List<RowError> shown = run.rowErrors().subList(0, Math.min(ROW_ERRORS_SHOWN, run.rowErrors().size()));
        if (!shown.isEmpty()) {
            body.append("First row errors:\n");
            for (RowError error : shown) {
                body.append("- ").append(error.code()).append(": ").append(error.message())
                        .append(" (UPDATED_AT ").append(error.updatedAt().map(Instant::toString).orElse("NULL"))
                        .append(")\n");
            }
            long notShown = run.rowsFailed() - shown.size();
            if (notShown > 0) {
                body.append("and ").append(notShown).append(" more; see the row errors of run ")
                        .append(run.runId()).append(".\n");
            }
        }
        body.append("\nWhat to do\n")
                .append("Fix these rows in the source table. Failed rows are not retried until their UPDATED_AT "
                        + "changes, so set UPDATED_AT to the current time when you fix a row.\n");
        return new Notification(preferences.contactEmails(), subject, body.toString(), run,
                Notification.Kind.ROW_ERRORS);
    }

    private static Notification success(String name, RunResult run, NotificationPreferences preferences) {
        String subject = "[CDI] " + name + ": sync succeeded, " + run.rowsSynced() + " rows synced";
        StringBuilder body = header(name, run, "succeeded");
        body.append("\nWhat happened\nEvery row read was synced.\n")
                .append("\nWhat to do\nNothing.\n");
        return new Notification(preferences.contactEmails(), subject, body.toString(), run,
                Notification.Kind.SUCCESS);
    }

    private static Notification successWithZeroRows(String name, RunResult run, NotificationPreferences preferences) {
        String subject = "[CDI] " + name + ": sync succeeded, no new rows";
        StringBuilder body = header(name, run, "succeeded");
        body.append("\nWhat happened\nThe run found no new row to sync");
        if (run.rowsDeferred() > 0) {
            body.append("; ").append(run.rowsDeferred())
                    .append(" rows newer than the settle lag were left for a later run");
        }
        body.append(".\n\nWhat to do\nNothing, if no new data was expected. Otherwise check that the process that "
                + "writes the source table is running and sets UPDATED_AT on every row it adds or changes.\n");
        return new Notification(preferences.contactEmails(), subject, body.toString(), run,
                Notification.Kind.SUCCESS_ZERO_ROWS);
    }

    private static StringBuilder header(String name, RunResult run, String outcome) {
        StringBuilder body = new StringBuilder(512)
                .append("The CDI integration \"").append(name).append("\" ").append(outcome).append(".\n\n")
                .append("Integration: ").append(name).append('\n')
                .append("Run: ").append(run.runId()).append('\n')
                .append("Status: ").append(run.status()).append('\n')
                .append("Started: ").append(run.startedAt()).append('\n')
                .append("Finished: ").append(run.finishedAt()).append('\n')
                .append("Rows read: ").append(run.rowsRead())
                .append(", synced: ").append(run.rowsSynced())
                .append(", failed: ").append(run.rowsFailed())
                .append(", deferred: ").append(run.rowsDeferred()).append('\n');
        run.lastUpdatedAt().ifPresent(last -> body.append("Last UPDATED_AT processed: ").append(last).append('\n'));
        return body;
    }

    private static String percent(RunResult run) {
        double share = run.rowsRead() == 0 ? 100.0 : run.rowsFailed() * 100.0 / run.rowsRead();
        return String.format(Locale.ROOT, "%.1f%%", share);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
