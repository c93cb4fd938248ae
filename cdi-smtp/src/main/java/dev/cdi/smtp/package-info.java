/**
 * A {@link dev.cdi.core.notify.Notifier} that sends run notifications by email through an SMTP server, with Jakarta
 * Mail (Eclipse Angus): {@link dev.cdi.smtp.SmtpNotifier}, configured by {@link dev.cdi.smtp.SmtpSettings}.
 */
package dev.cdi.smtp;
