package dev.cdi.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowFilter;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.TableName;
import dev.cdi.jdbc.JdbcPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbConnectorProviderTest {
    private static final TableName USERS = TableName.parse("main.users");

    @TempDir
    Path directory;
    Path file;

    @BeforeEach
    void createWarehouseFile() throws SQLException {
        file = directory.resolve("warehouse.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE users (updated_at TIMESTAMP, external_id VARCHAR, payload VARCHAR)");
            statement.execute("INSERT INTO users VALUES ('2026-01-02 03:04:05.123456', 'u1', '{\"a\":1}')");
        }
    }

    @Test
    void serviceLoaderFindsDuckDb() {
        List<SourceConnectorProvider> providers = new ArrayList<>();
        ServiceLoader.load(SourceConnectorProvider.class).forEach(providers::add);

        assertThat(providers).filteredOn(provider -> provider.name().equals("duckdb")).singleElement()
                .isInstanceOf(DuckDbConnectorProvider.class)
                .satisfies(provider -> assertThat(provider.capabilities()).containsExactlyInAnyOrder(
                        ConnectorCapability.STRUCTURED_PAYLOAD, ConnectorCapability.JSON_PAYLOAD,
                        ConnectorCapability.NANOSECOND_TIMESTAMPS));
    }

    @Test
    void readsADatabaseFileReadOnlyByDefault() throws SQLException {
        try (SourceConnector connector = open(Map.of("path", file.toString()))) {
            assertThat(TestingDuckDb.readAll(connector, USERS, RowFilter.above(Instant.EPOCH)))
                    .singleElement()
                    .satisfies(row -> assertThat(row.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.123456Z")));
        }
        try (Connection connection = new DuckDbFileConnections(new DuckDbConfig(file, true)).getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("DELETE FROM users")).hasMessageContaining("read-only");
        }
    }

    @Test
    void aMissingFileIsAClearConfigurationErrorAndIsNeverCreated() {
        Path missing = directory.resolve("missing.duckdb");

        for (String readOnly : List.of("true", "false")) {
            assertThatThrownBy(() -> open(Map.of("path", missing.toString(), "readOnly", readOnly)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
                    .hasMessageContaining("'path'");
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileDeletedAfterOpeningIsNotRecreated() throws Exception {
        try (SourceConnector connector = open(Map.of("path", file.toString(), "readOnly", "false"))) {
            Files.delete(file);

            assertThatThrownBy(connector::currentTime)
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("does not exist");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aDirectoryOrAFileThatIsNotADatabaseIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> open(Map.of("path", directory.toString())))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("directory");

        Path text = Files.writeString(directory.resolve("notes.duckdb"), "not a database");
        try (SourceConnector connector = open(Map.of("path", text.toString()))) {
            assertThatThrownBy(() -> connector.describe(USERS))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("not a valid DuckDB database");
        }
    }

    @Test
    void badSettingsFailBeforeConnecting() {
        assertThatThrownBy(() -> open(Map.of("readOnly", "true")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'path'");
    }

    @Test
    void aReadOnlyConnectorNextToAReadWriteConnectionInTheSameJvmIsToldWhatToDo() throws Exception {
        try (Connection writer = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            try (SourceConnector readOnly = open(Map.of("path", file.toString()))) {
                assertThatThrownBy(() -> readOnly.describe(USERS))
                        .isInstanceOfSatisfying(CdiException.class,
                                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                        .hasMessageContaining("already open in this JVM").hasMessageContaining("'readOnly'");
            }
            try (SourceConnector shared = open(Map.of("path", file.toString(), "readOnly", "false"))) {
                try (Statement statement = writer.createStatement()) {
                    statement.execute("INSERT INTO users VALUES ('2026-01-03 00:00:00', 'u2', '{}')");
                }
                assertThat(shared.count(USERS, shared.describe(USERS), RowFilter.above(Instant.EPOCH))).isEqualTo(2);
            }
            assertThat(writer.isClosed()).isFalse();
        }
    }

    /**
     * Several connections to one file in one JVM work when they share a configuration (the driver hands them one
     * database instance), also from a HikariCP pool; so the connector needs no pool of its own. The pool must mark
     * its connections read-only too: DuckDB refuses to change a connection's read-only flag. Three queries at a
     * time hold their connections until all three have read, so three connections are open at once.
     */
    @Test
    void severalConnectionsToOneFileWorkAlsoFromAPool() throws Exception {
        try (JdbcPool pool = JdbcPool.builder("duckdb", "jdbc:duckdb:" + file)
                .property("duckdb.read_only", "true").readOnly(true).maximumPoolSize(3)
                .connectionTimeout(Duration.ofSeconds(5)).build()) {
            ExecutorService executor = Executors.newFixedThreadPool(3);
            CyclicBarrier allThreeRead = new CyclicBarrier(3);
            try {
                List<Callable<Long>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    tasks.add(() -> {
                        try (Connection connection = pool.getConnection();
                                Statement statement = connection.createStatement();
                                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM users")) {
                            resultSet.next();
                            allThreeRead.await(30, TimeUnit.SECONDS);
                            return resultSet.getLong(1);
                        }
                    });
                }
                for (Future<Long> result : executor.invokeAll(tasks)) {
                    assertThat(result.get()).isEqualTo(1L);
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }

    private static SourceConnector open(Map<String, String> settings) {
        return new DuckDbConnectorProvider().open(ConnectorSettings.of(settings));
    }
}
