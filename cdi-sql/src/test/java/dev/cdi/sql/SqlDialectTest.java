package dev.cdi.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlDialectTest {
    private static final TableName USERS = TableName.parse("main.users");
    private final SqlDialect dialect = SqlQueryBuilderTest.ANSI;

    @Test
    void quotesIdentifiersTheAnsiWay() {
        assertThat(dialect.quoteIdentifier("users")).isEqualTo("\"users\"");
        assertThat(dialect.quoteIdentifier("we\"ird;name")).isEqualTo("\"we\"\"ird;name\"");
        assertThat(dialect.qualifiedTableName(TableName.parse("db.main.users")))
                .isEqualTo("\"db\".\"main\".\"users\"");
    }

    @Test
    void refusesEmptyIdentifiersAndControlCharacters() {
        assertThatThrownBy(() -> dialect.quoteIdentifier(""))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        assertThatThrownBy(() -> dialect.quoteIdentifier("a\u0000b"))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageNotContaining("a\u0000b");
    }

    @Test
    void normalisesTypeNames() {
        assertThat(SourceType.of("STRUCT(a INTEGER, b MAP(VARCHAR, INTEGER))").base()).isEqualTo("STRUCT");
        assertThat(SourceType.of("timestamp(6)  with time zone").base()).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(SourceType.of(" varchar(max) ").base()).isEqualTo("VARCHAR");
        assertThat(SourceType.of("ARRAY<STRUCT<a INT64>>").base()).isEqualTo("ARRAY");
        assertThat(SourceType.of("timestamp(6)").name()).isEqualTo("timestamp(6)");
    }

    @Test
    void recognisesZonedTimestampsByTheNamesWarehousesUse() {
        assertThat(SourceType.of("timestamptz").isZonedTimestamp()).isTrue();
        assertThat(SourceType.of("TIMESTAMP WITH TIME ZONE").isZonedTimestamp()).isTrue();
        assertThat(SourceType.of("TIMESTAMP_LTZ").isZonedTimestamp()).isTrue();
        assertThat(SourceType.of("datetimeoffset(7)").isZonedTimestamp()).isTrue();
        assertThat(SourceType.of("TIMESTAMP WITHOUT TIME ZONE").isZonedTimestamp()).isFalse();
        assertThat(SourceType.of("TIMESTAMP_NTZ").isZonedTimestamp()).isFalse();
    }

    @Test
    void ansiMappingsDecideSelectFormAndComparisonTogether() {
        ColumnMapping zoned = dialect.updatedAtMapping(SourceType.of("timestamp(6) with time zone")).orElseThrow();
        assertThat(zoned.readAs()).isEqualTo(ValueForm.OFFSET_DATE_TIME);
        assertThat(zoned.comparison()).contains(new TimestampComparison(ChronoUnit.MICROS, true,
                "TIMESTAMP WITH TIME ZONE"));
        ColumnMapping plain = dialect.updatedAtMapping(SourceType.of("datetime2")).orElseThrow();
        assertThat(plain.readAs()).isEqualTo(ValueForm.LOCAL_DATE_TIME);
        assertThat(plain.comparison().orElseThrow().castType()).isEqualTo("TIMESTAMP");
        assertThat(dialect.updatedAtMapping(SourceType.of("DATE"))).isEmpty();
        assertThat(dialect.payloadMapping(SourceType.of("varchar(65535)")).orElseThrow().readAs())
                .isEqualTo(ValueForm.TEXT);
        assertThat(dialect.payloadMapping(SourceType.of("INTEGER"))).isEmpty();
        assertThat(dialect.deletedMapping(SourceType.of("boolean")).orElseThrow().readAs()).isEqualTo(ValueForm.BOOLEAN);
        assertThat(dialect.textMapping(SourceType.of("INTEGER")).readAs()).isEqualTo(ValueForm.TEXT);
    }

    @Test
    void describeMatchesColumnsIgnoringCaseAndKeepsTheirSourceNames() {
        SqlTable table = SqlTable.describe(dialect, USERS, List.of(new SourceColumn("updated_at", "timestamptz"),
                new SourceColumn("Payload", "text"), new SourceColumn("other", "INTEGER"),
                new SourceColumn("external_id", "bigint")));

        assertThat(table.columns()).extracting(MappedColumn::column)
                .containsExactly(Column.UPDATED_AT, Column.EXTERNAL_ID, Column.PAYLOAD);
        assertThat(table.schema().nameOf(Column.UPDATED_AT)).contains("updated_at");
        assertThat(table.schema().typeOf(Column.EXTERNAL_ID)).contains("bigint");
        assertThat(SqlTable.of(dialect, USERS, table.schema())).isEqualTo(table);
    }

    @Test
    void anUnsupportedTypeIsRefusedWhenTheTableIsDescribedNamingTableColumnAndType() {
        assertThatThrownBy(() -> SqlTable.describe(dialect, USERS, List.of(new SourceColumn("UPDATED_AT", "VARCHAR"))))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("UPDATED_AT", "main.users", "VARCHAR", "a TIMESTAMP or DATETIME type");
    }

    @Test
    void twoColumnsDifferingOnlyInCaseAreRefused() {
        assertThatThrownBy(() -> SqlTable.describe(dialect, USERS, List.of(new SourceColumn("email", "text"),
                new SourceColumn("EMAIL", "text"))))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("EMAIL", "email", "ignoring case");
    }

    @Test
    void aMappingCannotSplitWhatIsSelectedFromHowItIsCompared() {
        assertThatThrownBy(() -> new ColumnMapping(SelectExpression.column(), ValueForm.TEXT,
                Optional.of(new TimestampComparison(ChronoUnit.MICROS, false, "TIMESTAMP"))))
                .isInstanceOf(IllegalArgumentException.class);
        SqlDialect forgetful = new SqlDialect() {
            @Override
            public String name() {
                return "forgetful";
            }

            @Override
            public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
                return Optional.of(ColumnMapping.of(ValueForm.EPOCH_MICROS));
            }
        };
        assertThatThrownBy(() -> SqlTable.describe(forgetful, USERS, List.of(new SourceColumn("UPDATED_AT", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no comparison");
    }
}
