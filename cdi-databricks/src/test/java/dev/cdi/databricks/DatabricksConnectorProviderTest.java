package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnectorProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DatabricksConnectorProviderTest {

    @Test
    void isFoundByNameThroughServiceLoader() {
        assertThat(ServiceLoader.load(SourceConnectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("databricks")))
                .singleElement().isInstanceOf(DatabricksConnectorProvider.class);
    }

    @Test
    void theTokenAndTheClientSecretAreSecret() {
        assertThat(new DatabricksConnectorProvider().secretSettingKeys()).containsExactlyInAnyOrder("token",
                "clientSecret");
    }

    @Test
    void validateChecksTheSettingsWithoutConnecting() {
        Map<String, String> settings = TestingDatabricks.settings();
        settings.put("host", "unreachable.invalid");
        new DatabricksConnectorProvider().validate(TestingDatabricks.connectorSettings(settings));

        settings.put("httpPath", "/sql/protocolv1/o/123/0123-456789-abcdef");
        assertThatThrownBy(() -> new DatabricksConnectorProvider().validate(TestingDatabricks.connectorSettings(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'httpPath'").hasMessageContaining("all-purpose clusters are not supported");
    }
}
