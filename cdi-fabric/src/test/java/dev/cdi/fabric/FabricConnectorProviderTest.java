package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnectorProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FabricConnectorProviderTest {

    @Test
    void isFoundByNameThroughServiceLoader() {
        assertThat(ServiceLoader.load(SourceConnectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("fabric")))
                .singleElement().isInstanceOf(FabricConnectorProvider.class);
    }

    @Test
    void theClientSecretIsTheOnlySecretSetting() {
        assertThat(new FabricConnectorProvider().secretSettingKeys()).containsExactly("clientSecret");
    }

    @Test
    void validateChecksWithoutConnecting() {
        Map<String, String> settings = TestingFabric.settings();
        settings.put("host", "unreachable.invalid");
        new FabricConnectorProvider().validate(TestingFabric.connectorSettings(settings));

        settings.put("clientId", "my-app");
        assertThatThrownBy(() -> new FabricConnectorProvider().validate(TestingFabric.connectorSettings(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'clientId'");
    }
}
