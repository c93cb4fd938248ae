package dev.cdi.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Watermark;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Runs the shared state store suite on {@link PostgresStateStore}, plus its schema management. */
public class TestPostgresStateStore extends BaseStateStoreTest {
    private final DataSource dataSource = TestingPostgres.newDataSource();
    private final String schema = TestingPostgres.newSchema();
    private final PostgresStateStore store = new PostgresStateStore(dataSource, schema);

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    public void createsTheSchemaOnceAndRecordsEveryVersion() throws SQLException {
        store.save("orders", new SyncState(new Watermark(Instant.parse("2025-01-01T00:00:00Z"), 1), Set.of(), true));

        PostgresStateStore second = new PostgresStateStore(TestingPostgres.newDataSource(), schema);

        assertThat(second.load("orders")).isPresent();
        assertThat(query("SELECT version FROM " + schema + ".schema_version ORDER BY version"))
                .containsExactly("1", "2", "3");
        assertThat(PostgresStateStore.SCHEMA_VERSION).isEqualTo(3);
    }

    @Test
    public void migratesAVersionOneSchemaToVersionTwoKeepingItsState() throws SQLException {
        String old = TestingPostgres.newSchema();
        PostgresSchema.migrate(new PostgresDatabase(dataSource, old), 1);
        assertThat(query("SELECT version FROM " + old + ".schema_version")).containsExactly("1");
        assertThat(query("SELECT count(*) FROM pg_tables WHERE schemaname = '" + old + "' AND tablename = 'integration'"))
                .containsExactly("0");
        execute("INSERT INTO " + old + ".state (integration, watermark_second, watermark_nano, rows_at_watermark, "
                + "fingerprints, fingerprints_complete) VALUES ('orders', 1735689600, 0, 1, ''::bytea, true)");

        PostgresStateStore migrated = new PostgresStateStore(dataSource, old);

        assertThat(query("SELECT version FROM " + old + ".schema_version ORDER BY version")).containsExactly("1", "2", "3");
        assertThat(migrated.load("orders").orElseThrow().watermark().updatedAt())
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(migrated.loadRegistry().workspaces()).isEmpty();
        assertThat(migrated.loadRegistry().integrations()).isEmpty();
    }

    @Test
    public void processesStartingTogetherCreateTheSchemaOnce() throws Exception {
        String fresh = TestingPostgres.newSchema();
        int processes = 4;
        CyclicBarrier start = new CyclicBarrier(processes);
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        try {
            List<Future<PostgresStateStore>> opened = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                DataSource own = TestingPostgres.newDataSource();
                opened.add(pool.submit(() -> {
                    start.await();
                    return new PostgresStateStore(own, fresh);
                }));
            }
            for (Future<PostgresStateStore> store : opened) {
                assertThat(store.get().load("orders")).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(query("SELECT version FROM " + fresh + ".schema_version ORDER BY version"))
                .containsExactly("1", "2", "3");
    }

    @Test
    public void storesFingerprintsAsSixteenBytesEach() throws SQLException {
        store.save("orders", new SyncState(new Watermark(Instant.parse("2025-01-01T00:00:00Z"), 2),
                Set.of(new Fingerprint(1, 2), new Fingerprint(3, 4)), true));

        assertThat(query("SELECT octet_length(fingerprints) FROM " + schema + ".state")).containsExactly("32");
    }

    @Test
    public void refusesASchemaWrittenByANewerVersion() throws SQLException {
        int newer = PostgresStateStore.SCHEMA_VERSION + 1;
        execute("INSERT INTO " + schema + ".schema_version (version) VALUES (" + newer + ")");

        assertThatThrownBy(() -> new PostgresStateStore(dataSource, schema))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageContaining("layout version " + newer)
                .hasMessageContaining(schema);
    }

    @Test
    public void wrapsDatabaseFailuresWithTheIntegrationAndSqlState() throws SQLException {
        execute("DROP TABLE " + schema + ".state");

        assertThatThrownBy(() -> store.load("orders"))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageContaining("[orders] Loading state failed in PostgreSQL schema " + schema)
                .hasMessageContaining("SQLState 42P01");
    }

    @Test
    public void refusesUnsafeSchemaNames() {
        assertThatThrownBy(() -> new PostgresStateStore(dataSource, "cdi\"; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PostgresStateStore(dataSource, "Upper"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> query(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
