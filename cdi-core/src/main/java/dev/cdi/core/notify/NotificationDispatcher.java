package dev.cdi.core.notify;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies about a finished run: asks the {@link NotificationPolicy} whether to, then hands the notification to the
 * {@link Notifier}. A failure of either is logged and swallowed, because a notification must never fail the run it
 * is about.
 *
 * <p>Thread-safe when the notifier is; {@link #dispatch} is called once per finished run.
 */
public final class NotificationDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final NotificationPolicy policy;
    private final Notifier notifier;

    /**
     * Creates a dispatcher.
     *
     * @param policy decides and writes notifications
     * @param notifier delivers them
     */
    public NotificationDispatcher(NotificationPolicy policy, Notifier notifier) {
        this.policy = requireNonNull(policy, "policy is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
    }

    /**
     * Sends the notification the run deserves, if any. Never throws for a failure to decide or to send.
     *
     * @param integration the integration's name
     * @param run the finished run
     * @param preferences the integration's notification preferences
     * @return true when a notification was sent; false when none was due or sending it failed (and was logged)
     */
    public boolean dispatch(String integration, RunResult run, NotificationPreferences preferences) {
        requireNonNull(integration, "integration is null");
        requireNonNull(run, "run is null");
        requireNonNull(preferences, "preferences is null");
        Optional<Notification> notification;
        try {
            notification = policy.decide(integration, run, preferences);
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not compose the notification for run {}: {}", integration, run.runId(),
                    e.toString(), e);
            return false;
        }
        if (notification.isEmpty()) {
            LOG.debug("[{}] run {} ended {}; no notification due", integration, run.runId(), run.status());
            return false;
        }
        Notification message = notification.get();
        try {
            notifier.send(message);
        } catch (RuntimeException e) {
            // Logged, not thrown: the run's outcome is already decided and must not change because mail is down.
            LOG.warn("[{}] could not send the {} notification for run {} to {} recipient(s): {}", integration,
                    message.kind(), run.runId(), message.recipients().size(), e.toString(), e);
            return false;
        }
        LOG.info("[{}] sent the {} notification for run {} to {} recipient(s)", integration, message.kind(),
                run.runId(), message.recipients().size());
        return true;
    }
}
