package dev.cdi.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnectorProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SnowflakeConnectorProviderTest {

    @Test
    void isFoundByNameThroughServiceLoader() {
        assertThat(ServiceLoader.load(SourceConnectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("snowflake")))
                .singleElement().isInstanceOf(SnowflakeConnectorProvider.class);
    }

    @Test
    void validateDecryptsTheKeysWithoutConnecting() {
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("host", "unreachable.invalid");
        new SnowflakeConnectorProvider().validate(TestingSnowflake.connectorSettings(settings));

        settings.put("privateKeyPassphrase", "not the passphrase");
        assertThatThrownBy(() -> new SnowflakeConnectorProvider().validate(TestingSnowflake.connectorSettings(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'privateKey'").hasMessageNotContaining("not the passphrase");

        settings.put("privateKey", "not a key");
        assertThatThrownBy(() -> new SnowflakeConnectorProvider().validate(TestingSnowflake.connectorSettings(settings)))
                .hasMessageContaining("'privateKey'").hasMessageNotContaining("not a key");
    }
}
