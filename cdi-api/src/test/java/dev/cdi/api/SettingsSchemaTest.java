package dev.cdi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {
    private static final String PASSWORD = "Hunter2-secret";

    private static final SettingsSchema SCHEMA = new SettingsSchema("testing", List.of(
            SettingDefinition.of("host", SettingType.STRING, "the host").asRequired(),
            SettingDefinition.of("port", SettingType.INTEGER, "the port").withRange("1", "65535").withDefault("5439"),
            SettingDefinition.of("password", SettingType.STRING, "the password").asRequired().asSecret(),
            SettingDefinition.of("pin", SettingType.INTEGER, "a secret number").asSecret(),
            SettingDefinition.of("ssl", SettingType.BOOLEAN, "use TLS").withDefault("true"),
            SettingDefinition.oneOf("sslMode", "how certificates are checked",
                    List.of("verify-full", "verify-ca", "require")).withDefault("verify-full"),
            SettingDefinition.of("connectTimeout", SettingType.DURATION, "connect timeout")
                    .withRange("PT1S", "PT10M").withDefault("PT30S"),
            SettingDefinition.of("queryTimeout", SettingType.DURATION, "query timeout"),
            SettingDefinition.of("knownHostsFile", SettingType.PATH, "a file")));

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("host", "db.example.com");
        values.put("password", PASSWORD);
        return values;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = minimal();
        values.put(key, value);
        return values;
    }

    private static SettingValues parse(Map<String, String> values) {
        return SCHEMA.parse(ConnectorSettings.of(values));
    }

    @Test
    void defaultsAreFilledInAndValuesAreTyped() {
        SettingValues values = parse(minimal());

        assertThat(values.get("host")).contains("db.example.com");
        assertThat(values.integer("port")).contains(5439L);
        assertThat(values.bool("ssl")).contains(true);
        assertThat(values.get("sslMode")).contains("verify-full");
        assertThat(values.duration("connectTimeout")).contains(Duration.ofSeconds(30));
        assertThat(values.duration("queryTimeout")).isEmpty();
        assertThat(values.path("knownHostsFile")).isEmpty();
    }

    @Test
    void everyTypeIsRead() {
        Map<String, String> given = minimal();
        given.put("port", " 5440 ");
        given.put("ssl", "FALSE");
        given.put("sslMode", "Verify-CA");
        given.put("connectTimeout", "pt12s");
        given.put("queryTimeout", "90");
        given.put("knownHostsFile", " state/known_hosts ");

        SettingValues values = parse(given);

        assertThat(values.integer("port")).contains(5440L);
        assertThat(values.bool("ssl")).contains(false);
        assertThat(values.get("sslMode")).contains("verify-ca");
        assertThat(values.duration("connectTimeout")).contains(Duration.ofSeconds(12));
        assertThat(values.duration("queryTimeout")).contains(Duration.ofSeconds(90));
        assertThat(values.path("knownHostsFile")).contains(Path.of("state/known_hosts"));
    }

    @Test
    void durationsAreIsoWholeSecondsOrANumberWithAUnit() {
        Map<String, Duration> forms = Map.of("PT1H30M", Duration.ofMinutes(90), "30", Duration.ofSeconds(30),
                "500ms", Duration.ofMillis(500), "30s", Duration.ofSeconds(30), "5m", Duration.ofMinutes(5),
                "2H", Duration.ofHours(2), "1d", Duration.ofDays(1), "0", Duration.ZERO);
        forms.forEach((text, expected) ->
                assertThat(parse(with("queryTimeout", text)).duration("queryTimeout")).as(text).contains(expected));
        assertInvalid(with("queryTimeout", "soon"), "Connection setting 'queryTimeout' must be a duration");
        assertInvalid(with("queryTimeout", "1.5"), "'queryTimeout'");
        assertInvalid(with("queryTimeout", "-PT5S"), "Connection setting 'queryTimeout' must not be negative");
        assertInvalid(with("queryTimeout", "5 m"), "'queryTimeout'");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheClosestKnownKey() {
        assertInvalid(with("sslmode", "require"),
                "Unknown testing connection setting(s) [sslmode] (did you mean 'sslMode'?); known settings: host, port,");
        assertInvalid(with("prot", "1"), "did you mean 'port'?");
        assertInvalid(with("connectTimout", "5"), "did you mean 'connectTimeout'?");
    }

    @Test
    void severalUnknownKeysAreAllNamedAndAKeyFarFromAnyIsNotGivenASuggestion() {
        Map<String, String> values = with("Host", "x");
        values.put("sslmode", "require");
        assertInvalid(values, "Unknown testing connection setting(s) [Host, sslmode] (did you mean 'host' for 'Host',"
                + " 'sslMode' for 'sslmode'?)");

        assertThatThrownBy(() -> parse(with("warehouse", "w"))).hasMessageNotContaining("did you mean")
                .hasMessageContaining("[warehouse]; known settings: host, port, password");
    }

    @Test
    void aConnectorWithoutSettingsRefusesAnyKey() {
        assertThatThrownBy(() -> new SettingsSchema("bare", List.of()).parse(ConnectorSettings.of(Map.of("a", "b"))))
                .isInstanceOf(CdiException.class).hasMessageContaining("[a]; it takes no settings");
    }

    @Test
    void aRequiredSettingMustBeGivenAndNotBlank() {
        Map<String, String> values = minimal();
        values.remove("host");
        assertInvalid(values, "Connection setting 'host' is required");
        assertInvalid(with("host", "  "), "Connection setting 'host' is required");
    }

    @Test
    void wrongTypesAreRefusedNamingTheKey() {
        assertInvalid(with("port", "fifty"), "Connection setting 'port' must be a whole number, was 'fifty'");
        assertInvalid(with("port", "1.5"), "'port'");
        assertInvalid(with("ssl", "yes"), "Connection setting 'ssl' must be true or false, was 'yes'");
        assertInvalid(with("knownHostsFile", "bad\0path"), "Connection setting 'knownHostsFile' is not a valid file path");
        assertInvalid(with("knownHostsFile", " "), "'knownHostsFile'");
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertInvalid(with("port", "0"), "Connection setting 'port' must be between 1 and 65535, was 0");
        assertInvalid(with("port", "65536"), "'port' must be between 1 and 65535");
        assertInvalid(with("connectTimeout", "PT0.5S"), "'connectTimeout' must be between PT1S and PT10M, was PT0.5S");
        assertInvalid(with("connectTimeout", "11m"), "'connectTimeout' must be between PT1S and PT10M");
        assertThat(parse(with("port", "65535")).integer("port")).contains(65535L);
        assertThat(parse(with("connectTimeout", "10m")).duration("connectTimeout")).contains(Duration.ofMinutes(10));
    }

    @Test
    void anEnumTakesOnlyItsValues() {
        assertInvalid(with("sslMode", "verify"),
                "Connection setting 'sslMode' must be one of verify-full, verify-ca, require, was 'verify'");
    }

    @Test
    void aSecretValueIsNeverInAMessage() {
        assertThatThrownBy(() -> parse(with("pin", PASSWORD))).isInstanceOf(CdiException.class)
                .hasMessageContaining("'pin' must be a whole number").hasMessageNotContaining(PASSWORD);
        // A key the settings mark secret is masked too, even when the connector did not declare it secret.
        assertThatThrownBy(() -> SCHEMA.parse(new ConnectorSettings(with("port", PASSWORD), Set.of("port"))))
                .hasMessageContaining("'port'").hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> SCHEMA.parse(new ConnectorSettings(with("port", "70000"), Set.of("port"))))
                .hasMessageContaining("'port'").hasMessageNotContaining("70000");
        assertThat(parse(minimal()).toString()).contains("db.example.com", "****").doesNotContain(PASSWORD);
        assertThat(SCHEMA.settings(minimal()).toString()).doesNotContain(PASSWORD);
        assertThat(SCHEMA.secretKeys()).containsExactlyInAnyOrder("password", "pin");
    }

    @Test
    void controlCharactersInAnEchoedValueAreEscaped() {
        assertThatThrownBy(() -> parse(with("ssl", "tr\nue"))).hasMessageContaining("'tr\\x0aue'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void definitionsAreChecked() {
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.STRING, "x").asRequired().withDefault("b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.STRING, "x").asSecret().withDefault("b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.BOOLEAN, "x").withRange("1", "2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.ENUM, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.oneOf("a", "x", List.of("b", "B")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.STRING, "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("1a", SettingType.STRING, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.INTEGER, "x").withRange("10", "1"))
                .isInstanceOf(CdiException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.INTEGER, "x").withRange("1", "10")
                .withDefault("11")).isInstanceOf(CdiException.class);
        assertThatThrownBy(() -> SettingDefinition.of("a", SettingType.DURATION, "x").withDefault("soon"))
                .isInstanceOf(CdiException.class);
        assertThatThrownBy(() -> new SettingsSchema("c", List.of(SettingDefinition.of("a", SettingType.STRING, "x"),
                SettingDefinition.of("A", SettingType.STRING, "y")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SettingDefinition.of("a", SettingType.INTEGER, "x").withRange("1", "10").withDefault("5"))
                .isEqualTo(new SettingDefinition("a", SettingType.INTEGER, "x", Optional.of("5"), false, false,
                        Optional.of("1"), Optional.of("10"), List.of()));
    }

    @Test
    void typedAccessIsCheckedAgainstTheDeclaration() {
        SettingValues values = parse(minimal());
        assertThatThrownBy(() -> values.integer("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> values.get("nothing")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProviderDefaultsUseTheDeclaredSettings() {
        SourceConnectorProvider declared = new SourceConnectorProvider() {
            @Override
            public String name() {
                return "testing";
            }

            @Override
            public List<SettingDefinition> settings() {
                return SCHEMA.definitions();
            }

            @Override
            public SourceConnector open(ConnectorSettings settings) {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(declared.secretSettingKeys()).containsExactlyInAnyOrder("password", "pin");
        declared.validate(ConnectorSettings.of(minimal()));
        assertThatThrownBy(() -> declared.validate(ConnectorSettings.of(with("prot", "1"))))
                .hasMessageContaining("did you mean 'port'?");

        SourceConnectorProvider undeclared = new SourceConnectorProvider() {
            @Override
            public String name() {
                return "anything";
            }

            @Override
            public SourceConnector open(ConnectorSettings settings) {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(undeclared.secretSettingKeys()).isEmpty();
        undeclared.validate(ConnectorSettings.of(Map.of("any", "thing")));
    }

    private static void assertInvalid(Map<String, String> values, String message) {
        assertThatThrownBy(() -> parse(values)).as(message)
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message)
                .hasMessageNotContaining(PASSWORD);
    }
}
