package dev.cdi.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpSettingsTest {

    @Test
    void defaults() {
        SmtpSettings settings = SmtpSettings.builder().host("smtp.example.com").from("cdi@example.com").build();

        assertThat(settings.port()).isEqualTo(587);
        assertThat(settings.tls()).isEqualTo(SmtpSettings.TlsMode.STARTTLS);
        assertThat(settings.username()).isEmpty();
        assertThat(settings.password()).isEmpty();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyPropertyMapsAndSurvivesToBuilder() {
        SmtpSettings settings = SmtpSettings.builder()
                .host("mail.example.com")
                .port(465)
                .tls(SmtpSettings.TlsMode.SMTPS)
                .credentials("alerts", "s3cret-pass")
                .from("alerts@example.com")
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(3))
                .build();

        assertThat(settings.host()).isEqualTo("mail.example.com");
        assertThat(settings.port()).isEqualTo(465);
        assertThat(settings.tls()).isEqualTo(SmtpSettings.TlsMode.SMTPS);
        assertThat(settings.username()).contains("alerts");
        assertThat(settings.password()).contains("s3cret-pass");
        assertThat(settings.from()).isEqualTo("alerts@example.com");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThat(settings.toBuilder().noCredentials().build().username()).isEmpty();
    }

    @Test
    void toStringMasksThePassword() {
        SmtpSettings settings = SmtpSettings.builder().host("mail.example.com").from("alerts@example.com")
                .credentials("alerts", "s3cret-pass").build();

        assertThat(settings.toString()).contains("username=alerts", "password=****").doesNotContain("s3cret-pass");
    }

    @Test
    void refusesInvalidValues() {
        SmtpSettings valid = SmtpSettings.builder().host("mail.example.com").from("alerts@example.com").build();
        assertInvalid(SmtpSettings.builder().from("alerts@example.com"), "host is not set");
        assertInvalid(valid.toBuilder().host(" "), "host must be a host name or address");
        assertInvalid(SmtpSettings.builder().host("mail.example.com"), "from is not set");
        assertInvalid(valid.toBuilder().from("alerts"), "from must be an email address");
        assertInvalid(valid.toBuilder().from("alerts@example.com\r\nBcc: x@evil.com"), "from must be an email address");
        assertInvalid(valid.toBuilder().port(0), "port must be between 1 and 65535");
        assertInvalid(valid.toBuilder().port(65_536), "port must be between 1 and 65535");
        assertInvalid(valid.toBuilder().connectTimeout(Duration.ZERO), "connectTimeout must be positive");
        assertInvalid(valid.toBuilder().readTimeout(Duration.ofSeconds(-1)), "readTimeout must be positive");
        assertInvalid(valid.toBuilder().credentials(" ", "pass"), "username must not be blank");
        assertThatThrownBy(() -> new SmtpSettings("mail.example.com", 25, SmtpSettings.TlsMode.NONE,
                Optional.of("alerts"), Optional.empty(), "alerts@example.com", Duration.ofSeconds(1),
                Duration.ofSeconds(1)))
                .isInstanceOf(CdiException.class)
                .hasMessage("username and password must be given together");
    }

    private static void assertInvalid(SmtpSettings.Builder builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message);
    }
}
