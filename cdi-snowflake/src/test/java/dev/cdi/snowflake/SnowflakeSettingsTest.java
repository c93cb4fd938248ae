package dev.cdi.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnowflakeSettingsTest {
    private static final String KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFakeKeyMaterial\n-----END ENCRYPTED PRIVATE KEY-----";

    private static ConnectorSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("account", "xy12345.us-east-1.aws", "user", "cdi_user",
                "privateKey", KEY, "privateKeyPassphrase", "correct horse"));
        values.putAll(overrides);
        values.values().removeIf(String::isEmpty);
        return new ConnectorSettings(values, new SnowflakeConnectorProvider().secretSettingKeys());
    }

    @Test
    void theHostAndTheAccountNameComeFromEitherFormOfAccountIdentifier() {
        SnowflakeSettings locator = SnowflakeSettings.parse(settings(Map.of()));
        assertThat(locator.accountName()).isEqualTo("XY12345");
        assertThat(locator.host()).isEqualTo("xy12345.us-east-1.aws.snowflakecomputing.com");
        assertThat(locator.port()).isEqualTo(443);
        assertThat(locator.ssl()).isTrue();
        assertThat(locator.connectTimeout()).isEqualTo(Duration.ofSeconds(60));

        SnowflakeSettings org = SnowflakeSettings.parse(settings(Map.of("account", "MyOrg-Analytics")));
        assertThat(org.accountName()).isEqualTo("MYORG-ANALYTICS");
        assertThat(org.host()).isEqualTo("myorg-analytics.snowflakecomputing.com");

        SnowflakeSettings pasted = SnowflakeSettings.parse(settings(Map.of("account", "myorg-analytics.snowflakecomputing.com")));
        assertThat(pasted.accountName()).isEqualTo("MYORG-ANALYTICS");

        SnowflakeSettings local = SnowflakeSettings.parse(settings(Map.of("host", "127.0.0.1", "port", "8085",
                "ssl", "false", "role", "CDI_ROLE", "warehouse", "CDI_WH", "queryTimeout", "PT10M")));
        assertThat(local.host()).isEqualTo("127.0.0.1");
        assertThat(local.port()).isEqualTo(8085);
        assertThat(local.role()).contains("CDI_ROLE");
        assertThat(local.queryTimeout()).contains(Duration.ofMinutes(10));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("account", "xy 123"))))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'account'");
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("user", ""))))
                .hasMessageContaining("'user'");
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("privateKey", ""))))
                .hasMessageContaining("'privateKey'");
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("previousPrivateKeyPassphrase", "x"))))
                .hasMessageContaining("previousPrivateKey");
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("warehose", "WH"))))
                .hasMessageContaining("warehouse");
        assertThatThrownBy(() -> SnowflakeSettings.parse(settings(Map.of("host", "evil.com/path"))))
                .hasMessageContaining("'host'");
    }

    @Test
    void keysAndPassphrasesAreSecretEverywhere() {
        assertThat(new SnowflakeConnectorProvider().secretSettingKeys()).isEqualTo(Set.of("privateKey",
                "privateKeyPassphrase", "previousPrivateKey", "previousPrivateKeyPassphrase"));
        assertThat(SnowflakeSettings.parse(settings(Map.of())).toString()).doesNotContain("MIIFake")
                .doesNotContain("correct horse").contains("XY12345");
        assertThat(settings(Map.of()).toString()).doesNotContain("MIIFake").doesNotContain("correct horse");
    }
}
