package dev.cdi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncSpecTest {
    private static SyncSpec.Builder valid() {
        return SyncSpec.builder().integration("users").connector("duckdb", ConnectorSettings.of(Map.of("path", "w.duckdb")))
                .table("main.users").dataType(DataType.ATTRIBUTES);
    }

    @Test
    void buildsWithDefaultOptionsAndRoundTrips() {
        SyncSpec spec = valid().build();
        assertThat(spec.options()).isEqualTo(SyncOptions.defaults());
        assertThat(spec.table()).isEqualTo(new TableName(Optional.empty(), "main", "users"));
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void aMissingOrInvalidPartIsAConfigurationErrorNamingIt() {
        assertThatThrownBy(() -> valid().table((TableName) null).build()).hasMessageContaining("table is not set");
        assertThatThrownBy(() -> valid().integration("Users!").build()).isInstanceOf(CdiException.class)
                .hasMessageContaining("Users!");
        assertThatThrownBy(() -> valid().connector("duck-db", ConnectorSettings.of(Map.of())).build())
                .hasMessageContaining("duck-db");
    }

    @Test
    void tableNamesParseAndRefuseWhatCannotBeQuoted() {
        assertThat(TableName.parse("db.sch.t")).isEqualTo(new TableName(Optional.of("db"), "sch", "t"));
        assertThat(TableName.parse("sch.t\"; DROP TABLE x; --").table()).isEqualTo("t\"; DROP TABLE x; --");
        assertThatThrownBy(() -> TableName.parse("users")).isInstanceOf(CdiException.class)
                .hasMessageContaining("users");
        assertThatThrownBy(() -> TableName.parse("a..b")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TableName.parse("a.b\u0000")).hasMessageContaining("control character");
    }

    @Test
    void secretSettingsNeverShowInToString() {
        ConnectorSettings settings = new ConnectorSettings(Map.of("user", "cdi", "password", "hunter2"), Set.of("password"));
        SyncSpec spec = valid().connector("redshift", settings).build();
        assertThat(spec.toString()).contains("cdi").doesNotContain("hunter2");
        assertThat(settings.get("password")).contains("hunter2");
    }

    @Test
    void dataTypesAreFoundByTheirConfigurationName() {
        assertThat(DataType.fromConfigName("user_deletes")).isEqualTo(DataType.USER_DELETES);
        assertThatThrownBy(() -> DataType.fromConfigName("deletes")).hasMessageContaining("user_deletes");
    }
}
