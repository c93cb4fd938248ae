package dev.cdi.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowFilter;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.JdbcDialect;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueryBuilderTest {
    private static final Instant LOW = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant HIGH = Instant.parse("2026-01-03T00:00:00Z");
    private static final TableName TABLE = TableName.parse("main.users");

    private final QueryBuilder builder = new QueryBuilder(new JdbcDialect());

    private static SourceTable table(TableName name, Map<Column, String> types) {
        Map<Column, String> names = new TreeMap<>();
        types.keySet().forEach(column -> names.put(column, column.name()));
        return new SourceTable(name, new TableSchema(types), names);
    }

    private static final SourceTable USERS = table(TABLE, Map.of(
            Column.UPDATED_AT, "TIMESTAMP",
            Column.PAYLOAD, "VARCHAR",
            Column.EXTERNAL_ID, "VARCHAR"));

    private static final String SELECT = "SELECT \"UPDATED_AT\", \"EXTERNAL_ID\", \"PAYLOAD\" FROM \"main\".\"users\"";

    @Test
    void inclusiveRange() {
        BoundQuery query = builder.select(USERS, RowFilter.between(Optional.of(LOW), HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void upperBoundOnly() {
        BoundQuery query = builder.select(USERS, RowFilter.between(Optional.empty(), HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" <= CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(HIGH);
    }

    @Test
    void exclusiveLowerInclusiveUpper() {
        BoundQuery query = builder.select(USERS, RowFilter.after(LOW, HIGH), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void exclusiveLowerOnly() {
        BoundQuery query = builder.select(USERS, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW);
    }

    @Test
    void inclusiveLowerExclusiveUpper() {
        BoundQuery query = builder.select(USERS,
                new RowFilter.Range(Optional.of(LOW), true, Optional.of(HIGH), false), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" < CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, HIGH);
    }

    @Test
    void exactInstant() {
        BoundQuery query = builder.select(USERS, RowFilter.at(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT
                + " WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)"
                + " ORDER BY \"UPDATED_AT\"");
        assertThat(values(query)).containsExactly(LOW, LOW);
    }

    @Test
    void unboundedRangeStillExcludesNulls() {
        BoundQuery query = builder.select(USERS,
                new RowFilter.Range(Optional.empty(), false, Optional.empty(), false), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" IS NOT NULL ORDER BY \"UPDATED_AT\"");
        assertThat(query.parameters()).isEmpty();
    }

    @Test
    void nullUpdatedAt() {
        BoundQuery query = builder.select(USERS, RowFilter.nullUpdatedAt(), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo(SELECT + " WHERE \"UPDATED_AT\" IS NULL ORDER BY \"UPDATED_AT\"");
        assertThat(query.parameters()).isEmpty();
    }

    @Test
    void limitIsTheDialectsHook() {
        assertThat(builder.select(USERS, RowFilter.above(LOW), OptionalLong.of(10)).sql())
                .isEqualTo(SELECT + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\" LIMIT 10");

        JdbcDialect top = new JdbcDialect() {
            @Override
            public String applyLimit(String query, long limit) {
                return query.replaceFirst("^SELECT ", "SELECT TOP " + limit + " ");
            }
        };
        assertThat(new QueryBuilder(top).select(USERS, RowFilter.above(LOW), OptionalLong.of(0)).sql())
                .startsWith("SELECT TOP 0 \"UPDATED_AT\", ");
    }

    @Test
    void count() {
        BoundQuery query = builder.count(USERS, RowFilter.after(LOW, HIGH));

        assertThat(query.sql()).isEqualTo("SELECT COUNT(*) FROM \"main\".\"users\""
                + " WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP)");
        assertThat(values(query)).containsExactly(LOW, HIGH);
        assertThat(builder.count(USERS, RowFilter.nullUpdatedAt()).sql())
                .isEqualTo("SELECT COUNT(*) FROM \"main\".\"users\" WHERE \"UPDATED_AT\" IS NULL");
    }

    @Test
    void countEachCountsEveryFilterInOnePassOverTheRowsAnyMatches() {
        BoundQuery query = builder.countEach(USERS, List.of(RowFilter.above(HIGH), RowFilter.nullUpdatedAt(),
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
        SourceTable table = table(hostile, Map.of(Column.UPDATED_AT, "TIMESTAMP"));

        assertThat(builder.describe(hostile))
                .isEqualTo("SELECT * FROM \"main\".\"x\"\"; DROP TABLE users; --\" WHERE 1=0");
        assertThat(builder.count(table, RowFilter.nullUpdatedAt()).sql())
                .isEqualTo("SELECT COUNT(*) FROM \"main\".\"x\"\"; DROP TABLE users; --\" WHERE \"UPDATED_AT\" IS NULL");
    }

    @Test
    void columnsAreReferredToByTheirSourceNamesAndOnlyThoseInTheSchema() {
        Map<Column, String> types = Map.of(Column.UPDATED_AT, "timestamptz", Column.EMAIL, "text", Column.DELETED, "bool");
        SourceTable table = new SourceTable(TABLE, new TableSchema(types),
                Map.of(Column.UPDATED_AT, "updated_at", Column.EMAIL, "Email", Column.DELETED, "deleted"));

        BoundQuery query = builder.select(table, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo("SELECT \"updated_at\", \"Email\", \"deleted\" FROM \"main\".\"users\""
                + " WHERE \"updated_at\" > CAST(? AS TIMESTAMP WITH TIME ZONE) ORDER BY \"updated_at\"");
    }

    @Test
    void selectExpressionsComeFromTheDialect() {
        JdbcDialect dialect = new JdbcDialect() {
            @Override
            public String selectUpdatedAt(String quotedColumn, String sourceType) {
                return "epoch_us(" + quotedColumn + ")";
            }

            @Override
            public String selectPayload(String quotedColumn, String sourceType) {
                return "to_json(" + quotedColumn + ")";
            }

            @Override
            public String updatedAtParameter(String sourceType) {
                return "CAST(? AS " + sourceType + ")";
            }
        };

        BoundQuery query = new QueryBuilder(dialect).select(USERS, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.sql()).isEqualTo("SELECT epoch_us(\"UPDATED_AT\"), \"EXTERNAL_ID\", to_json(\"PAYLOAD\")"
                + " FROM \"main\".\"users\" WHERE \"UPDATED_AT\" > CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"");
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
        JdbcDialect nanos = new JdbcDialect() {
            @Override
            public ChronoUnit updatedAtPrecision(String sourceType) {
                return ChronoUnit.NANOS;
            }
        };
        Instant fine = Instant.parse("2026-01-02T03:04:05.123456789Z");

        BoundQuery query = new QueryBuilder(nanos).select(USERS, RowFilter.at(fine), OptionalLong.empty());

        assertThat(values(query)).containsExactly(fine, fine);
        assertThat(bound(query)).containsExactly("2026-01-02 03:04:05.123456789", "2026-01-02 03:04:05.123456789");
    }

    @Test
    void defaultBindingIsUtcWallClockTextOrAnExplicitOffset() {
        assertThat(bound(builder.select(USERS, RowFilter.after(LOW, HIGH), OptionalLong.empty())))
                .containsExactly("2026-01-02 03:04:05.123456", "2026-01-03 00:00:00.000000");

        SourceTable zoned = table(TABLE, Map.of(Column.UPDATED_AT, "TIMESTAMP WITH TIME ZONE"));
        assertThat(bound(builder.count(zoned, RowFilter.above(LOW))))
                .containsExactly("2026-01-02 03:04:05.123456+00:00");
    }

    @Test
    void toStringHidesBoundValues() {
        BoundQuery query = builder.select(USERS, RowFilter.above(LOW), OptionalLong.empty());

        assertThat(query.toString()).contains("parameters=1").doesNotContain("2026");
        assertThat(query.parameters().get(0).toString()).doesNotContain("2026");
    }

    @Test
    void aTableWithoutUpdatedAtCannotBeFiltered() {
        SourceTable table = table(TABLE, Map.of(Column.PAYLOAD, "VARCHAR"));

        assertThatThrownBy(() -> builder.count(table, RowFilter.above(LOW)))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_COLUMN))
                .hasMessageContaining("main.users").hasMessageContaining("UPDATED_AT");
    }

    @Test
    void controlCharactersInIdentifiersAreRefused() {
        SourceTable table = new SourceTable(TABLE, new TableSchema(Map.of(Column.UPDATED_AT, "TIMESTAMP")),
                Map.of(Column.UPDATED_AT, "updated\nat"));

        assertThatThrownBy(() -> builder.count(table, RowFilter.nullUpdatedAt()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    private static List<Object> values(BoundQuery query) {
        return query.parameters().stream().map(BoundQuery.Parameter::value).toList();
    }

    /** What each parameter binds, through a hand-written statement stub that records setString. */
    private static List<Object> bound(BoundQuery query) {
        Map<Integer, Object> values = new TreeMap<>();
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(
                QueryBuilderTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("setString")) {
                        values.put((Integer) arguments[0], arguments[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        try {
            query.bind(recorder);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(values.keySet()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, query.parameters().size()).boxed().toList());
        return List.copyOf(values.values());
    }
}
