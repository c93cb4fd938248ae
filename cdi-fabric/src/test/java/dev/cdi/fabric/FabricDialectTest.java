package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.RunContext;
import dev.cdi.api.TableName;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.ValueForm;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FabricDialectTest {
    private final FabricDialect dialect = new FabricDialect(FabricSettings.parse(new ConnectorSettings(Map.of(
            "host", "abc.datawarehouse.fabric.microsoft.com", "warehouse", "wh",
            "tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47", "clientId", "11111111-2222-3333-4444-555555555555",
            "clientSecret", "x"), Set.of("clientSecret"))));

    @Test
    void namesAreBracketedWithClosingBracketsDoubled() {
        assertThat(dialect.quoteIdentifier("a]b\"c")).isEqualTo("[a]]b\"c]");
        assertThat(dialect.qualifiedTableName(TableName.parse("wh.dbo.users"))).isEqualTo("[wh].[dbo].[users]");
    }

    @Test
    void updatedAtIsDatetime2OrDatetimeOffsetAtMicroseconds() {
        assertThat(dialect.updatedAtMapping(SourceType.of("datetime2")).orElseThrow().readAs())
                .isEqualTo(ValueForm.LOCAL_DATE_TIME);
        assertThat(dialect.updatedAtMapping(SourceType.of("datetimeoffset")).orElseThrow().comparison().orElseThrow()
                .castType()).isEqualTo("DATETIMEOFFSET(6)");
        assertThat(dialect.updatedAtMapping(SourceType.of("datetime"))).isEmpty();
        assertThat(dialect.payloadMapping(SourceType.of("varchar"))).isPresent();
        assertThat(dialect.payloadMapping(SourceType.of("varbinary"))).isEmpty();
        assertThat(dialect.deletedMapping(SourceType.of("bit"))).isPresent();
    }

    @Test
    void limitsWithTopCountsWithCountBigAndLabelsWithOption() {
        assertThat(dialect.applyLimit("SELECT [a] FROM [t] WHERE 1=1 ORDER BY [a]", 10))
                .isEqualTo("SELECT TOP (10) [a] FROM [t] WHERE 1=1 ORDER BY [a]");
        assertThat(dialect.countAll()).isEqualTo("COUNT_BIG(*)");
        assertThat(dialect.currentTimeQuery().sql()).isEqualTo("SELECT SYSUTCDATETIME()");
        RunContext run = new RunContext("orders", "run-1");
        assertThat(dialect.labelQuery("SELECT 1", run)).isEqualTo("SELECT 1 OPTION (LABEL = '" + run.label() + "')");
    }
}
