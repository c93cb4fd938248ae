package dev.cdi.core.notify;

/**
 * Delivers a {@link Notification}, by email or any other channel.
 *
 * <p>Implementations must be thread-safe: a scheduler may call {@link #send} from several threads at once, once
 * per notification. Callers use a {@link NotificationDispatcher}, which never lets a failure here fail a run.
 */
public interface Notifier {

    /**
     * Sends one notification to all of its recipients.
     *
     * <p>May throw any unchecked exception (preferably a {@link dev.cdi.api.CdiException} whose message names
     * the server it could not reach, never a secret); the caller logs it and never fails the run because of it.
     * Implementations should bound the time they block with timeouts.
     *
     * @param notification what to send and to whom
     */
    void send(Notification notification);
}
