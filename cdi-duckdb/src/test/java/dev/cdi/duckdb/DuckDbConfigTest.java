package dev.cdi.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuckDbConfigTest {

    @Test
    void defaults() {
        DuckDbConfig config = DuckDbConfig.fromSettings(ConnectorSettings.of(Map.of("path", "warehouse.duckdb")));

        assertThat(config).isEqualTo(new DuckDbConfig(Path.of("warehouse.duckdb"), true));
        assertThat(config.path().isAbsolute()).as("relative paths are kept as given").isFalse();
    }

    @Test
    void everySettingIsMapped() {
        DuckDbConfig config = DuckDbConfig.fromSettings(
                ConnectorSettings.of(Map.of("path", "/data/w.duckdb", "readOnly", "FALSE")));

        assertThat(config).isEqualTo(new DuckDbConfig(Path.of("/data/w.duckdb"), false));
        assertThat(DuckDbConfig.fromSettings(ConnectorSettings.of(Map.of("path", "w.duckdb", "readOnly", "true")))
                .readOnly()).isTrue();
    }

    @Test
    void pathIsRequired() {
        assertInvalid(Map.of(), "'path'");
        assertInvalid(Map.of("path", "  "), "'path'");
    }

    @Test
    void readOnlyMustBeABoolean() {
        assertInvalid(Map.of("path", "w.duckdb", "readOnly", "yes"), "'readOnly'");
    }

    @Test
    void unknownSettingsAreNamed() {
        assertInvalid(Map.of("path", "w.duckdb", "readonly", "false"), "readonly");
        assertInvalid(Map.of("path", "w.duckdb", "readonly", "false"), "(did you mean 'readOnly'?)");
    }

    @Test
    void aSemicolonWouldBeReadAsAUrlOption() {
        assertInvalid(Map.of("path", "w.duckdb;access_mode=READ_WRITE"), "';'");
    }

    private static void assertInvalid(Map<String, String> settings, String named) {
        assertThatThrownBy(() -> DuckDbConfig.fromSettings(ConnectorSettings.of(settings)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(named);
    }
}
