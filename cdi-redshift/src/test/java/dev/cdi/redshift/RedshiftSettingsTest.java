package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.redshift.RedshiftSettings.SslMode;
import dev.cdi.redshift.tunnel.SshKeyPair;
import dev.cdi.redshift.tunnel.SshTunnelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedshiftSettingsTest {
    private static final String PASSWORD = "S3cret-password";
    private static final String PASSPHRASE = "key-passphrase-42";
    private static final String FINGERPRINT = "SHA256:" + "A".repeat(43);
    private static String privateKeyPem;

    @BeforeAll
    static void generateKey() {
        privateKeyPem = SshKeyPair.generate().encryptedPrivateKeyPem(PASSPHRASE.toCharArray());
    }

    private static Map<String, String> minimal() {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com");
        settings.put("database", "dev");
        settings.put("user", "cdi_sync");
        settings.put("password", PASSWORD);
        return settings;
    }

    private static Map<String, String> withSsh() {
        Map<String, String> settings = minimal();
        settings.put("sshHost", "bastion.example.com");
        settings.put("sshUser", "tunnel");
        settings.put("sshPrivateKey", privateKeyPem);
        settings.put("sshPrivateKeyPassphrase", PASSPHRASE);
        settings.put("sshHostKeyFingerprint", FINGERPRINT);
        return settings;
    }

    private static RedshiftSettings parse(Map<String, String> settings) {
        return RedshiftSettings.parse(new ConnectorSettings(settings, RedshiftSettings.SECRET_KEYS));
    }

    @Test
    void defaults() {
        RedshiftSettings settings = parse(minimal());

        assertThat(settings).isEqualTo(new RedshiftSettings("examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com",
                5439, "dev", "cdi_sync", PASSWORD, true, SslMode.VERIFY_FULL, Duration.ofSeconds(30), Optional.empty(),
                Optional.empty()));
        assertThat(settings.sshTunnelSettings()).isEmpty();
    }

    @Test
    void everySettingIsMapped() {
        Map<String, String> values = withSsh();
        values.put("port", "5440");
        values.put("ssl", "TRUE");
        values.put("sslMode", "verify-ca");
        values.put("connectTimeout", "PT12S");
        values.put("queryTimeout", "600");
        values.put("sshPort", "2222");
        values.put("sshTrustOnFirstUse", "true");
        values.put("sshKnownHostsFile", "state/known_hosts");

        RedshiftSettings settings = parse(values);

        assertThat(settings.port()).isEqualTo(5440);
        assertThat(settings.ssl()).isTrue();
        assertThat(settings.sslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.queryTimeout()).contains(Duration.ofMinutes(10));
        assertThat(settings.ssh()).contains(new RedshiftSettings.Ssh("bastion.example.com", 2222, "tunnel", privateKeyPem,
                PASSPHRASE, Optional.of(FINGERPRINT), true, Optional.of(Path.of("state/known_hosts"))));
        assertThat(settings.sshTunnelSettings()).contains(new SshTunnelSettings("bastion.example.com", 2222, "tunnel",
                Optional.of(FINGERPRINT), true, Duration.ofSeconds(12)));
        assertThat(parse(Map.of("host", "10.0.0.1", "database", "d", "user", "u", "password", "p", "ssl", "false"))
                .ssl()).isFalse();
        assertThat(parse(Map.of("host", "::1", "database", "d", "user", "u", "password", "p")).host()).isEqualTo("::1");
        assertThat(parse(Map.of("host", "h", "database", "d", "user", "u", "password", "p", "sslMode", "REQUIRE"))
                .sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void durationsAreIsoOrWholeSecondsAndAZeroQueryTimeoutMeansNone() {
        Map<String, String> values = minimal();
        values.put("connectTimeout", "5");
        values.put("queryTimeout", "PT1H30M");
        assertThat(parse(values).connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse(values).queryTimeout()).contains(Duration.ofMinutes(90));

        values.put("queryTimeout", "0");
        assertThat(parse(values).queryTimeout()).isEmpty();
        values.put("queryTimeout", "PT0S");
        assertThat(parse(values).queryTimeout()).isEmpty();
    }

    @Test
    void eachRequiredSettingIsNamed() {
        for (String key : new String[] {"host", "database", "user", "password"}) {
            Map<String, String> values = minimal();
            values.remove(key);
            assertInvalid(values, "'" + key + "'");
            values.put(key, " ");
            assertInvalid(values, "'" + key + "'");
        }
    }

    @Test
    void eachBadSettingIsNamed() {
        assertInvalid(minimal(), "host", "cluster.example.com/other?ssl=false", "'host'");
        assertInvalid(minimal(), "host", "evil host", "'host'");
        assertInvalid(minimal(), "port", "0", "'port'");
        assertInvalid(minimal(), "port", "65536", "'port'");
        assertInvalid(minimal(), "port", "fifty", "'port'");
        assertInvalid(minimal(), "database", "dev;ssl=false", "'database'");
        assertInvalid(minimal(), "database", "my-db", "'database'");
        assertInvalid(minimal(), "ssl", "yes", "'ssl'");
        assertInvalid(minimal(), "sslMode", "verify", "'sslMode'");
        assertInvalid(minimal(), "connectTimeout", "soon", "'connectTimeout'");
        assertInvalid(minimal(), "connectTimeout", "PT0.5S", "'connectTimeout'");
        assertInvalid(minimal(), "connectTimeout", "PT11M", "'connectTimeout'");
        assertInvalid(minimal(), "connectTimeout", "-PT5S", "'connectTimeout'");
        assertInvalid(minimal(), "queryTimeout", "P30D", "'queryTimeout'");
        assertInvalid(minimal(), "queryTimeout", "1.5", "'queryTimeout'");
        assertInvalid(withSsh(), "sshHost", "bastion host", "'sshHost'");
        assertInvalid(withSsh(), "sshPort", "99999", "'sshPort'");
        assertInvalid(withSsh(), "sshUser", "tun nel", "'sshUser'");
        assertInvalid(withSsh(), "sshPrivateKey", "not a key", "'sshPrivateKey'");
        assertInvalid(withSsh(), "sshPrivateKeyPassphrase", "", "'sshPrivateKeyPassphrase'");
        assertInvalid(withSsh(), "sshHostKeyFingerprint", "MD5:aa:bb", "'sshHostKeyFingerprint'");
        assertInvalid(withSsh(), "sshTrustOnFirstUse", "maybe", "'sshTrustOnFirstUse'");
        assertInvalid(withSsh(), "sshKnownHostsFile", "bad\0path", "'sshKnownHostsFile'");
    }

    @Test
    void sslModeWithoutSslIsAContradiction() {
        Map<String, String> values = minimal();
        values.put("ssl", "false");
        values.put("sslMode", "require");
        assertInvalid(values, "'sslMode'");
    }

    @Test
    void sshSettingsNeedTheBastionAndTheKey() {
        Map<String, String> values = withSsh();
        values.remove("sshHost");
        assertInvalid(values, "'sshHost'");
        for (String key : new String[] {"sshUser", "sshPrivateKey", "sshPrivateKeyPassphrase"}) {
            Map<String, String> without = withSsh();
            without.remove(key);
            assertInvalid(without, "'" + key + "'");
        }
    }

    @Test
    void trustOnFirstUseNeedsAKnownHostsFileToRememberTheKey() {
        Map<String, String> values = withSsh();
        values.remove("sshHostKeyFingerprint");
        values.put("sshTrustOnFirstUse", "true");
        assertInvalid(values, "'sshKnownHostsFile'");

        values.put("sshKnownHostsFile", "known_hosts");
        assertThat(parse(values).ssh().orElseThrow().trustOnFirstUse()).isTrue();
    }

    @Test
    void unknownSettingsAreNamed() {
        Map<String, String> values = minimal();
        values.put("Host", "x");
        values.put("sslmode", "require");
        assertThatThrownBy(() -> parse(values)).isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("[Host, sslmode]").hasMessageContaining("sslMode");
        assertInvalid(minimal(), "sshKnownHostFile", "known_hosts", "did you mean 'sshKnownHostsFile'?");
    }

    @Test
    void durationsMayAlsoHaveAUnit() {
        Map<String, String> values = minimal();
        values.put("connectTimeout", "45s");
        values.put("queryTimeout", "15m");
        assertThat(parse(values).connectTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(parse(values).queryTimeout()).contains(Duration.ofMinutes(15));
    }

    @Test
    void everySettingIsDeclaredAndTheSecretOnesAreMasked() {
        assertThat(new RedshiftConnectorProvider().settings()).extracting(SettingDefinition::key).containsExactly(
                "host", "port", "database", "user", "password", "ssl", "sslMode", "connectTimeout", "queryTimeout",
                "sshHost", "sshPort", "sshUser", "sshPrivateKey", "sshPrivateKeyPassphrase", "sshHostKeyFingerprint",
                "sshTrustOnFirstUse", "sshKnownHostsFile");
        assertThat(new RedshiftConnectorProvider().secretSettingKeys())
                .containsExactlyInAnyOrder("password", "sshPrivateKey", "sshPrivateKeyPassphrase");
    }

    @Test
    void toStringMasksSecrets() {
        RedshiftSettings settings = parse(withSsh());

        assertThat(settings.toString())
                .contains("examplecluster", "cdi_sync", "bastion.example.com", "tunnel", FINGERPRINT, "****")
                .doesNotContain(PASSWORD).doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY")
                .doesNotContain(privateKeyPem.substring(40, 80));
        assertThat(new ConnectorSettings(withSsh(), new RedshiftConnectorProvider().secretSettingKeys()).toString())
                .doesNotContain(PASSWORD).doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY");
    }

    @Test
    void errorsNeverShowSecrets() {
        Map<String, String> values = withSsh();
        values.put("sshPrivateKey", "-----BEGIN garbage " + PASSWORD);
        values.put("sshPrivateKeyPassphrase", PASSPHRASE);
        assertThatThrownBy(() -> new RedshiftConnectorProvider().validate(
                new ConnectorSettings(values, RedshiftSettings.SECRET_KEYS)))
                .isInstanceOf(CdiException.class)
                .hasMessageContaining("'sshPrivateKey'").hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining(PASSPHRASE);
    }

    private static void assertInvalid(Map<String, String> base, String key, String value, String named) {
        Map<String, String> values = new HashMap<>(base);
        values.put(key, value);
        assertInvalid(values, named);
    }

    private static void assertInvalid(Map<String, String> values, String named) {
        assertThatThrownBy(() -> parse(values)).as("%s", named)
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(named)
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining(PASSPHRASE);
    }
}
