package dev.cdi.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.RowFilter;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.api.Column;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.SqlQuery;
import dev.cdi.sql.SqlQueryBuilder;
import dev.cdi.sql.SqlTable;
import dev.cdi.sql.ValueForm;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The shared SQL layer serves a client that is not JDBC: backticks, named parameters, the same rounding rules. */
class BigQueryDialectTest {
    private final BigQueryDialect dialect = new BigQueryDialect("default-project");

    @Test
    void theOneQueryBuilderWritesBigQuerySqlWithNamedParameters() {
        SqlTable table = SqlTable.of(dialect, TableName.parse("my-project.sales.users"), new TableSchema(
                Map.of(Column.UPDATED_AT, "TIMESTAMP", Column.EXTERNAL_ID, "STRING", Column.PAYLOAD, "JSON")));

        SqlQuery query = new SqlQueryBuilder(dialect).select(table, RowFilter.after(
                Instant.parse("2026-01-01T00:00:00.0000015Z"), Instant.parse("2026-01-02T00:00:00Z")), OptionalLong.of(5));

        assertThat(query.sql()).isEqualTo("SELECT UNIX_MICROS(`UPDATED_AT`), `EXTERNAL_ID`, TO_JSON_STRING(`PAYLOAD`)"
                + " FROM `my-project`.`sales`.`users` WHERE `UPDATED_AT` > @p0"
                + " AND `UPDATED_AT` <= @p1 ORDER BY `UPDATED_AT` LIMIT 5");
        assertThat(query.parameters()).hasSize(2);
    }

    @Test
    void mappingsForEachSupportedType() {
        assertThat(dialect.updatedAtMapping(SourceType.of("DATETIME")).orElseThrow().select().render("`u`"))
                .isEqualTo("UNIX_MICROS(TIMESTAMP(`u`))");
        assertThat(dialect.updatedAtMapping(SourceType.of("TIMESTAMP")).orElseThrow().readAs())
                .isEqualTo(ValueForm.EPOCH_MICROS);
        assertThat(dialect.updatedAtMapping(SourceType.of("DATE"))).isEmpty();
        assertThat(dialect.payloadMapping(SourceType.of("STRUCT")).orElseThrow().select().render("`p`"))
                .isEqualTo("TO_JSON_STRING(`p`)");
        assertThat(dialect.payloadMapping(SourceType.of("STRING")).orElseThrow().select().render("`p`")).isEqualTo("`p`");
        assertThat(dialect.payloadMapping(SourceType.of("INT64"))).isEmpty();
        assertThat(dialect.deletedMapping(SourceType.of("BOOL"))).isPresent();
        assertThat(dialect.currentTimeQuery().sql()).isEqualTo("SELECT UNIX_MICROS(CURRENT_TIMESTAMP())");
    }

    @Test
    void aNameWithABacktickIsRefused() {
        assertThatThrownBy(() -> dialect.quoteIdentifier("a`b")).isInstanceOf(CdiException.class);
    }
}
