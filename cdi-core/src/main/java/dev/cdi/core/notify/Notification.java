package dev.cdi.core.notify;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import java.util.List;

/**
 * A message about one run, ready for a {@link Notifier}: who gets it, a one-line subject and a plain-text body.
 *
 * <p>Immutable and thread-safe.
 *
 * @param recipients the email addresses to send to, at least one
 * @param subject a single line, not blank
 * @param body plain text, lines separated by {@code \n}
 * @param run the run the notification is about
 * @param kind why the run deserved a notification
 */
public record Notification(List<String> recipients, String subject, String body, RunResult run, Kind kind) {

    /** Validates every part and copies the recipients. */
    public Notification {
        recipients = List.copyOf(requireNonNull(recipients, "recipients is null"));
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients is empty");
        }
        requireNonNull(subject, "subject is null");
        if (subject.isBlank() || subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("subject must be one non-blank line");
        }
        requireNonNull(body, "body is null");
        requireNonNull(run, "run is null");
        requireNonNull(kind, "kind is null");
    }

    /**
     * Why a run deserved a notification.
     *
     * <p>Thread-safe (an enum).
     */
    public enum Kind {
        /** The run ended {@code ERROR}, {@code CONFIG_ERROR} or {@code LIMIT_EXCEEDED}; always notified. */
        SYNC_ERROR,
        /** The run completed and its failed share of rows reached the threshold. */
        ROW_ERRORS,
        /** The run succeeded and synced at least one row. */
        SUCCESS,
        /** The run succeeded and synced no row. */
        SUCCESS_ZERO_ROWS
    }
}
