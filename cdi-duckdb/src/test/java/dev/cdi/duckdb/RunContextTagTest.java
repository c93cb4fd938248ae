package dev.cdi.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.jdbc.JdbcSourceConnector;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dialect's tag statements run on the very connection of each query of a run: shown on DuckDB with a dialect that
 * tags through a session variable, which a view reads back, the way Snowflake's {@code QUERY_TAG} would show in its
 * query history.
 */
class RunContextTagTest {
    private static final TableName TAGGED = TableName.parse("main.tagged");

    private TestingDuckDb database;
    private SourceConnector connector;

    /** DuckDB's dialect, tagging each run's queries with a session variable. */
    private static final class TaggingDialect implements JdbcDialect {
        private final DuckDbDialect duckDb = new DuckDbDialect();

        @Override
        public String name() {
            return "tagging-duckdb";
        }

        @Override
        public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
            return duckDb.updatedAtMapping(type);
        }

        @Override
        public Optional<ColumnMapping> payloadMapping(SourceType type) {
            return duckDb.payloadMapping(type);
        }

        @Override
        public CurrentTimeQuery currentTimeQuery() {
            return duckDb.currentTimeQuery();
        }

        @Override
        public void prepareForStreaming(Connection connection) throws SQLException {
            duckDb.prepareForStreaming(connection);
        }

        @Override
        public List<String> tagStatements(RunContext run) {
            return List.of("SET VARIABLE query_tag = '" + run.label() + "'");
        }
    }

    @BeforeEach
    void setUp() {
        database = new TestingDuckDb();
        database.execute("CREATE TABLE events (updated_at TIMESTAMP, payload VARCHAR)",
                "INSERT INTO events VALUES ('2026-01-02 03:04:05', '{}'), ('2026-01-02 03:04:06', '{}')",
                "CREATE VIEW tagged AS SELECT updated_at, getvariable('query_tag') AS external_id, payload FROM events");
        connector = new JdbcSourceConnector(new TaggingDialect(), new DuckDbSharedConnections(database.connection));
    }

    @AfterEach
    void tearDown() throws SQLException {
        connector.close();
        database.close();
    }

    @Test
    void everyQueryOfARunCarriesTheRunsTag() {
        RunContext orders = new RunContext("orders", "run-1");
        TableSchema schema = connector.describe(TAGGED, orders);

        assertThat(readAll(schema, orders)).extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow())
                .containsOnly("cdi:orders:run-1").hasSize(2);
        assertThat(connector.countEach(TAGGED, schema, List.of(RowFilter.nullUpdatedAt()), orders)).containsExactly(0L);

        RunContext users = new RunContext("users", "run 2; DROP TABLE events");
        assertThat(readAll(schema, users)).extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow())
                .as("the label keeps only characters safe in a literal").containsOnly("cdi:users:run_2__DROP_TABLE_events");
    }

    private List<SourceRow> readAll(TableSchema schema, RunContext run) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(TAGGED, schema,
                RowFilter.between(Optional.empty(), Instant.parse("2030-01-01T00:00:00Z")),
                OptionalLong.empty()), run)) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }
}
