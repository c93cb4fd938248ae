package dev.cdi.smtp;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.core.notify.Notification;
import dev.cdi.core.notify.Notifier;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends notifications as plain-text emails through an SMTP server, one connection per notification.
 *
 * <p>Thread-safe: {@link #send} may be called from several threads at once; each call opens its own connection,
 * bounded by the settings' timeouts. Failures are thrown as {@link CdiException}s naming the server, never the
 * password.
 */
public final class SmtpNotifier implements Notifier {
    private final SmtpSettings settings;
    private final String protocol;
    private final Session session;

    /**
     * Creates a notifier; connects only when sending.
     *
     * @param settings how to reach the server
     */
    public SmtpNotifier(SmtpSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.protocol = settings.tls() == SmtpSettings.TlsMode.SMTPS ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(settings, protocol));
    }

    private static Properties properties(SmtpSettings settings, String protocol) {
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty(prefix + "host", settings.host());
        properties.setProperty(prefix + "port", Integer.toString(settings.port()));
        properties.setProperty(prefix + "from", settings.from());
        properties.setProperty(prefix + "auth", Boolean.toString(settings.username().isPresent()));
        properties.setProperty(prefix + "connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
        properties.setProperty(prefix + "timeout", Long.toString(settings.readTimeout().toMillis()));
        properties.setProperty(prefix + "writetimeout", Long.toString(settings.readTimeout().toMillis()));
        switch (settings.tls()) {
            case NONE:
                break;
            case STARTTLS:
                // Required, not just enabled: a server that stops offering STARTTLS must not get the password in clear.
                properties.setProperty(prefix + "starttls.enable", "true");
                properties.setProperty(prefix + "starttls.required", "true");
                properties.setProperty(prefix + "ssl.checkserveridentity", "true");
                break;
            case SMTPS:
                properties.setProperty(prefix + "ssl.enable", "true");
                properties.setProperty(prefix + "ssl.checkserveridentity", "true");
                break;
        }
        return properties;
    }

    @Override
    public void send(Notification notification) {
        requireNonNull(notification, "notification is null");
        String server = settings.host() + ":" + settings.port();
        MimeMessage message = message(notification, server);
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(settings.host(), settings.port(), settings.username().orElse(null),
                    settings.password().orElse(null));
            transport.sendMessage(message, message.getAllRecipients());
        } catch (AuthenticationFailedException e) {
            throw new CdiException(ErrorCode.AUTHENTICATION_FAILED, context(notification, server)
                    + ": the SMTP server refused the login of user '" + settings.username().orElse("") + "': "
                    + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new CdiException(ErrorCode.CONNECTION_FAILED, context(notification, server) + ": "
                    + e.getMessage(), e);
        }
    }

    private MimeMessage message(Notification notification, String server) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(settings.from(), true));
            List<String> recipients = notification.recipients();
            Address[] to = new Address[recipients.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(recipients.get(i), true);
            }
            message.setRecipients(Message.RecipientType.TO, to);
            message.setSubject(notification.subject(), StandardCharsets.UTF_8.name());
            message.setText(notification.body(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            return message;
        } catch (MessagingException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, context(notification, server)
                    + ": could not compose the email: " + e.getMessage(), e);
        }
    }

    private static String context(Notification notification, String server) {
        return "[" + notification.run().integration() + "] could not send the " + notification.kind()
                + " notification for run " + notification.run().runId() + " through the SMTP server " + server;
    }
}
