package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.redshift.tunnel.SshKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RedshiftConnectorProviderTest {

    @Test
    void serviceLoaderFindsRedshift() {
        List<SourceConnectorProvider> providers = new ArrayList<>();
        ServiceLoader.load(SourceConnectorProvider.class).forEach(providers::add);

        assertThat(providers).filteredOn(provider -> provider.name().equals("redshift")).singleElement()
                .isInstanceOf(RedshiftConnectorProvider.class)
                .satisfies(provider -> {
                    assertThat(provider.capabilities()).containsExactlyInAnyOrder(ConnectorCapability.SSH_TUNNEL,
                            ConnectorCapability.PRIVILEGES);
                    assertThat(provider.secretSettingKeys()).containsExactlyInAnyOrder("password", "sshPrivateKey",
                            "sshPrivateKeyPassphrase");
                });
    }

    @Test
    void validateChecksEverySettingWithoutConnecting() {
        RedshiftConnectorProvider provider = new RedshiftConnectorProvider();
        Map<String, String> settings = new HashMap<>(Map.of("host", "cluster.invalid", "database", "dev", "user", "u",
                "password", "p"));
        assertThatCode(() -> provider.validate(ConnectorSettings.of(settings))).doesNotThrowAnyException();

        settings.put("port", "x");
        assertThatThrownBy(() -> provider.validate(ConnectorSettings.of(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'port'");
    }

    @Test
    void validateDecryptsTheSshKeyAndNamesItWhenThePassphraseIsWrong() {
        SshKeyPair key = SshKeyPair.generate();
        Map<String, String> settings = new HashMap<>(Map.of("host", "cluster.invalid", "database", "dev", "user", "u",
                "password", "p", "sshHost", "bastion.invalid", "sshUser", "tunnel",
                "sshPrivateKey", key.encryptedPrivateKeyPem("Right-Passphrase-1".toCharArray()), "sshPrivateKeyPassphrase",
                "Right-Passphrase-1"));
        RedshiftConnectorProvider provider = new RedshiftConnectorProvider();
        assertThatCode(() -> provider.validate(ConnectorSettings.of(settings))).doesNotThrowAnyException();

        settings.put("sshPrivateKeyPassphrase", "Wrong-Passphrase-2");
        assertThatThrownBy(() -> provider.validate(ConnectorSettings.of(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'sshPrivateKey'").hasMessageContaining("passphrase")
                .hasMessageNotContaining("Wrong-Passphrase-2").hasMessageNotContaining("Right-Passphrase-1");
    }

    /** Opening connects to nothing; the first call does, and a port where nothing listens is a retryable error. */
    @Test
    void openingConnectsToNothingAndNothingListeningIsRetryableConnectivity() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(Map.of("host", "127.0.0.1", "port", Integer.toString(port),
                "database", "dev", "user", "u", "password", "p", "ssl", "false", "connectTimeout", "PT2S"));
        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTIVITY);
                assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                assertThat(e.retryable()).isTrue();
            }).hasMessageContaining("08001");
        }
    }
}
