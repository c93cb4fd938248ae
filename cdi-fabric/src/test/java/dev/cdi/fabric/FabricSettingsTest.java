package dev.cdi.fabric;

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

class FabricSettingsTest {
    private static final String SECRET = "s3cr3t~value.that-must-not-leak";

    private static Map<String, String> minimal() {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "abc123.datawarehouse.fabric.microsoft.com");
        settings.put("warehouse", "Sales WH");
        settings.put("tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        settings.put("clientId", "11111111-2222-3333-4444-555555555555");
        settings.put("clientSecret", SECRET);
        return settings;
    }

    private static FabricSettings parse(Map<String, String> settings) {
        return FabricSettings.parse(new ConnectorSettings(settings, Set.of("clientSecret")));
    }

    @Test
    void defaultsAreProductionFabricWithCheckedTls() {
        FabricSettings settings = parse(minimal());
        assertThat(settings.port()).isEqualTo(1433);
        assertThat(settings.encrypt()).isEqualTo("mandatory");
        assertThat(settings.authorityHost()).isEqualTo("https://login.microsoftonline.com/");
        assertThat(settings.trustedCertificate()).isEmpty();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.queryTimeout()).isEmpty();
        assertThat(FabricConnections.jdbcUrl(settings)).isEqualTo("jdbc:sqlserver://abc123.datawarehouse.fabric"
                + ".microsoft.com:1433;databaseName={Sales WH};encrypt={true};trustServerCertificate={false};"
                + "loginTimeout={30};applicationName={CDI}");
    }

    @Test
    void everySettingIsMapped() {
        Map<String, String> values = minimal();
        values.put("port", "11433");
        values.put("encrypt", "strict");
        values.put("authorityHost", "https://login.microsoftonline.us");
        values.put("connectTimeout", "PT5S");
        values.put("queryTimeout", "PT1H");
        values.put("tenantId", "contoso.onmicrosoft.com");
        FabricSettings settings = parse(values);
        assertThat(settings.port()).isEqualTo(11433);
        assertThat(settings.encrypt()).isEqualTo("strict");
        assertThat(settings.authorityHost()).isEqualTo("https://login.microsoftonline.us/");
        assertThat(settings.tenantId()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(settings.queryTimeout()).contains(Duration.ofHours(1));
        assertThat(FabricConnections.jdbcUrl(settings)).contains(";encrypt={strict};").contains(";loginTimeout={5};")
                .contains(";queryTimeout={3600};").doesNotContain(SECRET);
    }

    @Test
    void theSecretNeverShows() {
        FabricSettings settings = parse(minimal());
        assertThat(settings.toString()).doesNotContain(SECRET).contains("clientSecret=****");
        assertThat(new FabricConnections(settings, new FabricTokens(request -> reactor.core.publisher.Mono.empty()))
                .toString()).doesNotContain(SECRET);
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        Map<String, String> values = minimal();
        values.put("host", "https://abc.datawarehouse.fabric.microsoft.com:1433");
        assertRefused(values, "'host'");
        values = minimal();
        values.put("clientId", "sales-sync");
        assertRefused(values, "'clientId'");
        values = minimal();
        values.put("tenantId", "contoso");
        assertRefused(values, "'tenantId'");
        values = minimal();
        values.put("authorityHost", "http://login.example");
        assertRefused(values, "'authorityHost'");
        values = minimal();
        values.put("trustedCertificate", "/no/such/certificate.pem");
        assertRefused(values, "'trustedCertificate': cannot read");
        values = minimal();
        values.remove("clientSecret");
        assertRefused(values, "clientSecret");
    }

    private static void assertRefused(Map<String, String> values, String message) {
        assertThatThrownBy(() -> parse(values)).isInstanceOfSatisfying(CdiException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message).hasMessageNotContaining(SECRET);
    }
}
