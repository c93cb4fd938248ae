package dev.cdi.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.core.notify.Notification;
import dev.cdi.core.notify.NotificationPolicy;
import dev.cdi.core.notify.NotificationPreferences;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpNotifierTest {
    private static final String HOST = "127.0.0.1";
    private static final String PASSWORD = "s3cret-pass";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", PASSWORD));

    @Test
    void deliversTheNotificationToEveryRecipient() throws Exception {
        Notification notification = connectivityNotification();

        new SmtpNotifier(settings().build()).send(notification);

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage message = received[0];
        assertThat(addresses(message.getAllRecipients())).containsExactly("ops@example.com", "data@example.com");
        assertThat(addresses(message.getFrom())).containsExactly("cdi@example.com");
        assertThat(message.getSubject()).isEqualTo("[CDI] orders: sync failed (CONNECTIVITY)");
        // SMTP transfers lines ending in CRLF, and the final line break does not survive the DATA terminator.
        assertThat(((String) message.getContent()).replace("\r\n", "\n").strip())
                .isEqualTo(notification.body().strip());
        assertThat(message.getSentDate()).isNotNull();
    }

    @Test
    void logsInWhenCredentialsAreSet() throws Exception {
        new SmtpNotifier(settings().credentials("alerts", PASSWORD).build()).send(connectivityNotification());

        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aRefusedLoginSaysSoWithoutThePassword() {
        SmtpNotifier notifier = new SmtpNotifier(settings().credentials("alerts", "wrong-" + PASSWORD).build());

        assertThatThrownBy(() -> notifier.send(connectivityNotification()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("[orders] could not send the SYNC_ERROR notification for run run-7")
                .hasMessageContaining("SMTP server " + HOST + ":" + GREEN_MAIL.getSmtp().getPort())
                .hasMessageContaining("refused the login of user 'alerts'")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void anUnreachableServerFailsNamingHostAndPortButNotThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            closedPort = socket.getLocalPort();
        }
        SmtpNotifier notifier = new SmtpNotifier(settings().port(closedPort).credentials("alerts", PASSWORD)
                .connectTimeout(Duration.ofSeconds(2)).build());

        assertThatThrownBy(() -> notifier.send(connectivityNotification()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                .hasMessageContaining("through the SMTP server " + HOST + ":" + closedPort)
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(PASSWORD));
    }

    private static SmtpSettings.Builder settings() {
        return SmtpSettings.builder()
                .host(HOST)
                .port(GREEN_MAIL.getSmtp().getPort())
                .tls(SmtpSettings.TlsMode.NONE)
                .from("cdi@example.com")
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
    }

    private static Notification connectivityNotification() {
        Instant started = Instant.parse("2026-03-01T10:00:00Z");
        RunResult run = new RunResult("run-7", "orders", RunStatus.ERROR, started, started.plusSeconds(4), 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.of(new SyncError(ErrorCode.CONNECTION_FAILED, "could not connect to dw.example.com:5439")));
        NotificationPreferences preferences = NotificationPreferences.builder()
                .contactEmails(List.of("ops@example.com", "data@example.com"))
                .build();
        return new NotificationPolicy().decide("orders", run, preferences).orElseThrow();
    }

    private static List<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(address -> ((InternetAddress) address).getAddress()).toList();
    }

    private static String stackText(Throwable throwable) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }
}
