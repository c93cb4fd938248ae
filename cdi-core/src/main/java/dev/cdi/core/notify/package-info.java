/**
 * Telling people about runs (SPEC section 9): an integration's {@link dev.cdi.core.notify.NotificationPreferences},
 * the {@link dev.cdi.core.notify.NotificationPolicy} that decides whether a finished run deserves a
 * {@link dev.cdi.core.notify.Notification} and writes it, the {@link dev.cdi.core.notify.Notifier} SPI that delivers
 * it, and the {@link dev.cdi.core.notify.NotificationDispatcher} that joins the two so that a failed notification
 * never fails the run.
 */
package dev.cdi.core.notify;
