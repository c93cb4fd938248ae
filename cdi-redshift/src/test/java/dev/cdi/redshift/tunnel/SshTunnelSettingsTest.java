package dev.cdi.redshift.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshTunnelSettingsTest {
    private static final String FINGERPRINT = "SHA256:" + "A".repeat(42) + "Q";

    @Test
    void keepsValidSettings() {
        SshTunnelSettings settings = new SshTunnelSettings("bastion.example.com", 2222, "ec2-user",
                Optional.of(FINGERPRINT), false, Duration.ofSeconds(5));

        assertThat(settings.host()).isEqualTo("bastion.example.com");
        assertThat(settings.port()).isEqualTo(2222);
        assertThat(settings.user()).isEqualTo("ec2-user");
        assertThat(settings.hostKeyFingerprint()).contains(FINGERPRINT);
        assertThat(settings.trustOnFirstUse()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.bastion()).isEqualTo("bastion.example.com:2222");
    }

    @Test
    void dropsBase64PaddingOfTheFingerprint() {
        SshTunnelSettings settings = settings("h", 22, "u", Optional.of(FINGERPRINT + "="), Duration.ofSeconds(1));

        assertThat(settings.hostKeyFingerprint()).contains(FINGERPRINT);
    }

    @Test
    void defaultsAreTheUsualOnes() {
        assertThat(SshTunnelSettings.DEFAULT_PORT).isEqualTo(22);
        assertThat(SshTunnelSettings.DEFAULT_CONNECT_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesBadHost() {
        assertInvalid(() -> settings(" ", 22, "u", Optional.empty(), Duration.ofSeconds(1)), "'host'");
        assertInvalid(() -> settings("bastion example", 22, "u", Optional.empty(), Duration.ofSeconds(1)), "'host'");
    }

    @Test
    void refusesPortOutOfRange() {
        assertInvalid(() -> settings("h", 0, "u", Optional.empty(), Duration.ofSeconds(1)), "'port'");
        assertInvalid(() -> settings("h", 65_536, "u", Optional.empty(), Duration.ofSeconds(1)), "'port'");
        assertThat(settings("h", 65_535, "u", Optional.empty(), Duration.ofSeconds(1)).port()).isEqualTo(65_535);
    }

    @Test
    void refusesBadUser() {
        assertInvalid(() -> settings("h", 22, "", Optional.empty(), Duration.ofSeconds(1)), "'user'");
        assertInvalid(() -> settings("h", 22, "a b", Optional.empty(), Duration.ofSeconds(1)), "'user'");
    }

    @Test
    void refusesFingerprintsInOtherForms() {
        assertInvalid(() -> settings("h", 22, "u", Optional.of("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"),
                Duration.ofSeconds(1)), "'hostKeyFingerprint'");
        assertInvalid(() -> settings("h", 22, "u", Optional.of("SHA256:short"), Duration.ofSeconds(1)),
                "'hostKeyFingerprint'");
        assertInvalid(() -> settings("h", 22, "u", Optional.of(FINGERPRINT.substring(7)), Duration.ofSeconds(1)),
                "'hostKeyFingerprint'");
    }

    @Test
    void refusesTimeoutThatIsNotPositive() {
        assertInvalid(() -> settings("h", 22, "u", Optional.empty(), Duration.ZERO), "'connectTimeout'");
        assertInvalid(() -> settings("h", 22, "u", Optional.empty(), Duration.ofSeconds(-1)), "'connectTimeout'");
    }

    @Test
    void refusesNulls() {
        assertThatThrownBy(() -> settings(null, 22, "u", Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("host is null");
        assertThatThrownBy(() -> new SshTunnelSettings("h", 22, "u", null, false, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("hostKeyFingerprint is null");
    }

    private static SshTunnelSettings settings(String host, int port, String user, Optional<String> fingerprint,
            Duration timeout) {
        return new SshTunnelSettings(host, port, user, fingerprint, false, timeout);
    }

    private static void assertInvalid(Runnable construction, String settingName) {
        assertThatThrownBy(construction::run)
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessageContaining(settingName);
    }
}
