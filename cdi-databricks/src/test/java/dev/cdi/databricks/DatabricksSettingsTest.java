package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabricksSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/");
        settings.put("httpPath", "/sql/1.0/warehouses/abc123def456");
        settings.put("token", "dapi0123456789abcdef");
        return settings;
    }

    private static DatabricksSettings parse(Map<String, String> settings) {
        return DatabricksSettings.parse(new ConnectorSettings(settings,
                new DatabricksConnectorProvider().secretSettingKeys()));
    }

    private static void assertInvalid(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> parse(settings))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message);
    }

    @Test
    void aTokenConfigurationGetsItsDefaults() {
        DatabricksSettings settings = parse(minimal());

        assertThat(settings.host()).isEqualTo("dbc-a1b2c3d4-e5f6.cloud.databricks.com");
        assertThat(settings.port()).isEqualTo(443);
        assertThat(settings.ssl()).isTrue();
        assertThat(settings.warehouseId()).isEqualTo("abc123def456");
        assertThat(settings.catalog()).isEmpty();
        assertThat(settings.warmupTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.queryTimeout()).isEmpty();
        assertThat(settings.authentication())
                .isEqualTo(new DatabricksSettings.PersonalAccessToken("dapi0123456789abcdef"));
    }

    @Test
    void aServicePrincipalNeedsBothItsIdAndItsSecret() {
        Map<String, String> settings = minimal();
        settings.remove("token");
        settings.put("clientId", "8c1f6d2e-5b7a-4c3d-9e0f-1a2b3c4d5e6f");
        assertInvalid(settings, "'clientSecret' is missing");

        settings.put("clientSecret", "dose0123");
        assertThat(parse(settings).authentication()).isEqualTo(
                new DatabricksSettings.ServicePrincipal("8c1f6d2e-5b7a-4c3d-9e0f-1a2b3c4d5e6f", "dose0123"));
        assertThat(parse(settings).principalForAdvice()).isEqualTo("`8c1f6d2e-5b7a-4c3d-9e0f-1a2b3c4d5e6f`");

        settings.put("token", "dapi0123");
        assertInvalid(settings, "are both set");
    }

    @Test
    void noCredentialIsAConfigurationError() {
        Map<String, String> settings = minimal();
        settings.remove("token");
        assertInvalid(settings, "'token' or 'clientId' and 'clientSecret' is required");
    }

    @Test
    void aClusterPathOrABadHostOrABacktickInACatalogIsRefused() {
        Map<String, String> settings = minimal();
        settings.put("httpPath", "sql/1.0/warehouses/abc");
        assertInvalid(settings, "'httpPath' must be a SQL warehouse's HTTP path");

        settings = minimal();
        settings.put("host", "dbc.cloud.databricks.com/path?x");
        assertInvalid(settings, "'host' must be the server hostname");

        settings = minimal();
        settings.put("catalog", "main`; DROP");
        assertInvalid(settings, "'catalog' must be a name without backticks");
    }

    @Test
    void warmupTimeoutIsBounded() {
        Map<String, String> settings = minimal();
        settings.put("warmupTimeout", "PT2H");
        assertInvalid(settings, "warmupTimeout");
        settings.put("warmupTimeout", "PT0S");
        assertThat(parse(settings).warmupTimeout()).isZero();
    }

    @Test
    void toStringNeverShowsTheTokenOrTheSecret() {
        assertThat(parse(minimal())).asString().doesNotContain("dapi0123456789abcdef").contains("****");
        Map<String, String> settings = minimal();
        settings.remove("token");
        settings.put("clientId", "app-id");
        settings.put("clientSecret", "dose-very-secret");
        assertThat(parse(settings)).asString().doesNotContain("dose-very-secret").contains("app-id");
        assertThat(parse(settings).queryTimeout()).isEqualTo(Optional.empty());
    }
}
