package dev.cdi.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowFilter;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SqlQueryBuilderTest {
    private static final Instant LOW = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant HIGH = Instant.parse("2026-01-03T00:00:00Z");
    private static final TableName TABLE = TableName.parse("main.users");

    /** The ANSI defaults of every hook. */
    static final SqlDialect ANSI = () -> "ansi";

    private final SqlQueryBuilder builder = new SqlQueryBuilder(ANSI);

    private static SqlTable table(TableName name, Map<Column, String> types) {
        return SqlTable.of(ANSI, name, new TableSchema(types));
    }

    private static final SqlTable USERS = table(TABLE, Map.of(
            Column.UPDATED_AT, "TIMESTAMP",
            Column.PAYLOAD, "VARCHAR",
            Column.EXTERNAL_ID, "VARCHAR"));

    private static final String SELECT = "SELECT \"UPDATED_AT\", \"EXTERNAL_ID\", \"PAYLOAD\" FROM \"main\".\"users\"";

    @Test
    void inclusiveRange() {
        SqlQuery query = builder.select(USERS, RowFilter.between(Optional.of(LOW), HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void upperBoundOnly() {
        SqlQuery query = builder.select(USERS, RowFilter.between(Optional.empty(), HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" <= CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(HIGH);
    }

    @Test
    void exclusiveLowerInclusiveUpper() {
        SqlQuery query = builder.select(USERS, RowFilter.after(LOW, HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void exclusiveLowerOnly() {
        SqlQuery query = builder.select(USERS, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW);
    }

    @Test
    void inclusiveLowerExclusiveUpper() {
        SqlQuery query = builder.select(USERS,
                new RowFilter.Range(Optional.of(LOW), true, Optional.of(HIGH), false), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" < CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void exactInstant() {
        SqlQuery query = builder.select(USERS, RowFilter.at(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, LOW);
    }

    @Test
    void unboundedRangeStillExcludesNulls() {
        SqlQuery query = builder.select(USERS,
                new RowFilter.Range(Optional.empty(), false, Optional.empty(), false), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" IS NOT NULL ORDER BY \"UPDATED_AT\"");
        assertThat(query.parameters()).isEmpty();
    }

    @Test
    void nullUpdatedAt() {
        SqlQuery query = builder.select(USERS, RowFilter.nullUpdatedAt(), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" IS NULL ORDER BY \"UPDATED_AT\"");
        assertThat(query.parameters()).isEmpty();
    }

    @Test
    void limitIsTheDialectsHook() {
        assertThat(builder.select(USERS, RowFilter.above(LOW), OptionalLong.of(10)).sql())
                .isEqualTo(SELECT + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\" LIMIT 10");

        SqlDialect top = new SqlDialect() {
            @Override
            public String name() {
                return "top";
            }

            @Override
            public String applyLimit(String query, long limit) {
                return query.replaceFirst("^SELECT ", "SELECT TOP " + limit + " ");
            }
        };
        assertThat(new SqlQueryBuilder(top).select(USERS, RowFilter.above(LOW), OptionalLong.of(0)).sql())
                .startsWith("SELECT TOP 0 \"UPDATED_AT\", ");
    }

    @Test
    void count() {
        SqlQuery query = builder.count(USERS, RowFilter.after(LOW, HIGH));

        assertThat(query.sql()).isEqualTo("SELECT COUNT(*) FROM \"main\".\"users\""
                + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)");
        assertThat(values(query)).containsExactly(LOW, HIGH);
        assertThat(builder.count(USERS, RowFilter.nullUpdatedAt()).sql())
                .isEqualTo("SELECT COUNT(*) FROM \"main\".\"users\" WHERE \"UPDATED_AT\" IS NULL");
    }

    @Test
    void countEachCountsEveryFilterInOnePassOverTheRowsAnyMatches() {
        SqlQuery query = builder.countEach(USERS, List.of(RowFilter.above(HIGH), RowFilter.nullUpdatedAt(),
                RowFilter.after(LOW, HIGH)));

        assertThat(query.sql()).isEqualTo("SELECT SUM(CASE WHEN \"UPDATED_AT\" > CAST(? AS TIMESTAMP) THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN \"UPDATED_AT\" IS NULL THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN \"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP) THEN 1 ELSE 0 END) "
                + "FROM \"main\".\"users\" WHERE (\"UPDATED_AT\" > CAST(? AS TIMESTAMP)) OR (\"UPDATED_AT\" IS NULL) "
                + "OR (\"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP))");
        assertThat(values(query)).containsExactly(HIGH, LOW, HIGH, HIGH, LOW, HIGH);
    }

    @Test
    void describe() {
        assertThat(builder.describe(TableName.parse("db.main.users")))
                .isEqualTo("SELECT * FROM \"db\".\"main\".\"users\" WHERE 1=0");
    }

    @Test
    void quoteAndSemicolonInTableNameAreQuotedNotExecuted() {
        TableName hostile = new TableName(Optional.empty(), "main", "x\"; DROP TABLE users; --");
        SqlTable table = table(hostile, Map.of(Column.UPDATED_AT, "TIMESTAMP"));

        assertThat(builder.describe(hostile))
                .isEqualTo("SELECT * FROM \"main\".\"x\"\"; DROP TABLE users; --\" WHERE 1=0");
        assertThat(builder.count(table, RowFilter.nullUpdatedAt()).sql())
                .isEqualTo("SELECT COUNT(*) FROM \"main\".\"x\"\"; DROP TABLE users; --\" WHERE \"UPDATED_AT\" IS NULL");
    }

    @Test
    void columnsAreReferredToByTheirSourceNamesAndOnlyThoseInTheSchema() {
        SqlTable table = SqlTable.of(ANSI, TABLE, new TableSchema(
                Map.of(Column.UPDATED_AT, "timestamptz", Column.EMAIL, "text", Column.DELETED, "bool"),
                Map.of(Column.UPDATED_AT, "updated_at", Column.EMAIL, "Email", Column.DELETED, "deleted")));

        SqlQuery query = builder.select(table, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo("SELECT \"updated_at\", \"Email\", \"deleted\" FROM \"main\".\"users\""
                + " WHERE \"updated_at\" > CAST(? AS TIMESTAMP WITH TIME ZONE) ORDER BY \"updated_at\"");
    }

    @Test
    void selectExpressionsAndComparisonsComeFromTheColumnMappings() {
        SqlDialect dialect = new SqlDialect() {
            @Override
            public String name() {
                return "mapped";
            }

            @Override
            public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
                return Optional.of(ColumnMapping.timestamp(column -> "epoch_us(" + column + ")", ValueForm.EPOCH_MICROS,
                        new TimestampComparison(ChronoUnit.MICROS, false, type.name())));
            }

            @Override
            public Optional<ColumnMapping> payloadMapping(SourceType type) {
                return Optional.of(ColumnMapping.of(column -> "to_json(" + column + ")", ValueForm.TEXT));
            }

            @Override
            public String parameterMarker(int index) {
                return "@p" + index;
            }
        };
        SqlTable users = SqlTable.of(dialect, TABLE, USERS.schema());

        SqlQuery query = new SqlQueryBuilder(dialect).select(users, RowFilter.after(LOW, HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo("SELECT epoch_us(\"UPDATED_AT\"), \"EXTERNAL_ID\", to_json(\"PAYLOAD\")"
                + " FROM \"main\".\"users\" WHERE \"UPDATED_AT\" > CAST(@p0 AS TIMESTAMP)"
                + " AND \"UPDATED_AT\" <= CAST(@p1 AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
    }

    @Test
    void boundsAreRoundedToTheColumnPrecisionSoThatComparisonsStayExact() {
        Instant fine = Instant.parse("2026-01-02T03:04:05.1234561Z");
        Instant floor = Instant.parse("2026-01-02T03:04:05.123456Z");
        Instant ceil = Instant.parse("2026-01-02T03:04:05.123457Z");

        assertThat(values(builder.select(USERS,
                new RowFilter.Range(Optional.of(fine), true, Optional.of(fine), false), OptionalLong.empty())))
                .containsExactly(ceil, ceil);
        assertThat(values(builder.select(USERS,
                new RowFilter.Range(Optional.of(fine), false, Optional.of(fine), true), OptionalLong.empty())))
                .containsExactly(floor, floor);
        // v >= ceil(x) and v <= floor(x): no value can equal an instant finer than the column
        assertThat(values(builder.select(USERS, RowFilter.at(fine), OptionalLong.empty()))).containsExactly(ceil, floor);
    }

    @Test
    void nanosecondColumnsKeepNanoseconds() {
        SqlDialect nanos = new SqlDialect() {
            @Override
            public String name() {
                return "nanos";
            }

            @Override
            public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
                return Optional.of(ColumnMapping.timestamp(SelectExpression.column(), ValueForm.EPOCH_NANOS,
                        new TimestampComparison(ChronoUnit.NANOS, false, "TIMESTAMP_NS")));
            }
        };
        Instant fine = Instant.parse("2026-01-02T03:04:05.123456789Z");

        SqlQuery query = new SqlQueryBuilder(nanos).select(SqlTable.of(nanos, TABLE, USERS.schema()),
                RowFilter.at(fine), OptionalLong.empty());

        assertThat(values(query)).containsExactly(fine, fine);
        assertThat(bound(query)).containsExactly("2026-01-02 03:04:05.123456789", "2026-01-02 03:04:05.123456789");
    }

    @Test
    void defaultBindingIsUtcWallClockTextOrAnExplicitOffset() {
        assertThat(bound(builder.select(USERS, RowFilter.after(LOW, HIGH), OptionalLong.empty())))
                .containsExactly("2026-01-02 03:04:05.123456", "2026-01-03 00:00:00.000000");

        SqlTable zoned = table(TABLE, Map.of(Column.UPDATED_AT, "TIMESTAMP WITH TIME ZONE"));
        assertThat(bound(builder.count(zoned, RowFilter.above(LOW))))
                .containsExactly("2026-01-02 03:04:05.123456+00:00");
    }

    @Test
    void toStringHidesBoundValues() {
        SqlQuery query = builder.select(USERS, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.toString()).contains("parameters=1").doesNotContain("2026");
        assertThat(query.parameters().get(0).toString()).doesNotContain("2026");
    }

    @Test
    void aTableWithoutUpdatedAtCannotBeFiltered() {
        SqlTable table = table(TABLE, Map.of(Column.PAYLOAD, "VARCHAR"));

        assertThatThrownBy(() -> builder.count(table, RowFilter.above(LOW)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_COLUMN))
                .hasMessageContaining("main.users").hasMessageContaining("UPDATED_AT");
    }

    @Test
    void controlCharactersInIdentifiersAreRefused() {
        SqlTable table = SqlTable.of(ANSI, TABLE, new TableSchema(Map.of(Column.UPDATED_AT, "TIMESTAMP"),
                Map.of(Column.UPDATED_AT, "updated\nat")));

        assertThatThrownBy(() -> builder.count(table, RowFilter.nullUpdatedAt()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    private static List<Object> values(SqlQuery query) {
        return query.parameters().stream().map(parameter -> (Object) ((SqlParameter.Timestamp) parameter).value())
                .toList();
    }

    /** The text a client that binds text (JDBC's default) binds for each parameter. */
    private static List<String> bound(SqlQuery query) {
        return query.parameters().stream().map(parameter -> ((SqlParameter.Timestamp) parameter).utcText()).toList();
    }
}
