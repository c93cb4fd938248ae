package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.RunContext;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.ValueForm;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabricksDialectTest {
    private final DatabricksDialect dialect = new DatabricksDialect(DatabricksSettings.parse(new ConnectorSettings(
            Map.of("host", "dbc.cloud.databricks.com", "httpPath", "/sql/1.0/warehouses/abc", "token", "dapi1"),
            new DatabricksConnectorProvider().secretSettingKeys())));

    @Test
    void identifiersAreQuotedWithBackticks() {
        assertThat(dialect.quoteIdentifier("my`col")).isEqualTo("`my``col`");
    }

    @Test
    void aTimestampIsReadAsEpochMicrosAndATimestampNtzAsItsText() {
        assertThat(dialect.updatedAtMapping(SourceType.of("TIMESTAMP"))).hasValueSatisfying(mapping -> {
            assertThat(mapping.select().render("`u`")).isEqualTo("unix_micros(`u`)");
            assertThat(mapping.readAs()).isEqualTo(ValueForm.EPOCH_MICROS);
            assertThat(mapping.comparison().orElseThrow().zoned()).isTrue();
        });
        assertThat(dialect.updatedAtMapping(SourceType.of("TIMESTAMP_NTZ"))).hasValueSatisfying(mapping -> {
            assertThat(mapping.select().render("`u`")).isEqualTo("CAST(`u` AS STRING)");
            assertThat(mapping.readAs()).isEqualTo(ValueForm.UTC_TEXT);
            assertThat(mapping.comparison().orElseThrow().castType()).isEqualTo("TIMESTAMP_NTZ");
        });
        assertThat(dialect.updatedAtMapping(SourceType.of("DATE"))).isEmpty();
    }

    @Test
    void structAndMapPayloadsGoThroughToJson() {
        assertThat(dialect.payloadMapping(SourceType.of("STRUCT<a: INT>"))).hasValueSatisfying(mapping ->
                assertThat(mapping.select().render("`p`")).isEqualTo("to_json(`p`)"));
        assertThat(dialect.payloadMapping(SourceType.of("MAP<STRING, STRING>"))).isPresent();
        assertThat(dialect.payloadMapping(SourceType.of("STRING"))).hasValueSatisfying(mapping ->
                assertThat(mapping.select().render("`p`")).isEqualTo("`p`"));
        assertThat(dialect.payloadMapping(SourceType.of("ARRAY<INT>"))).isEmpty();
    }

    @Test
    void theClockIsTheWarehousesCurrentTimestampInMicros() {
        assertThat(dialect.currentTimeQuery().sql()).isEqualTo("SELECT unix_micros(current_timestamp())");
    }

    @Test
    void queryTagsNameTheIntegrationAndRunWithNothingThatCouldEndTheLiteral() {
        assertThat(dialect.tagStatements(new RunContext("orders", "run-1")))
                .containsExactly("SET QUERY_TAGS['cdi_integration'] = 'orders', QUERY_TAGS['cdi_run'] = 'run-1'");
        assertThat(dialect.tagStatements(new RunContext("o'rders; DROP", "r\\1")).get(0))
                .isEqualTo("SET QUERY_TAGS['cdi_integration'] = 'o_rders__DROP', QUERY_TAGS['cdi_run'] = 'r_1'");
    }
}
