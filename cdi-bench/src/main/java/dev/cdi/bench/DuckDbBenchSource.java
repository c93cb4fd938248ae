package dev.cdi.bench;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.FileStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/** A DuckDB database file read through the {@code duckdb} connector. */
final class DuckDbBenchSource implements BenchSource {
    private final Path database;

    DuckDbBenchSource(Path directory) {
        this.database = directory.resolve("bench.duckdb");
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public void load(long rows) throws SQLException, java.io.IOException {
        Files.deleteIfExists(database);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE main.users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, ALIAS_NAME VARCHAR, "
                    + "ALIAS_LABEL VARCHAR, EMAIL VARCHAR, PHONE VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("INSERT INTO main.users SELECT "
                    + BenchTable.selectList("TIMESTAMP '2026-01-01 00:00:00' + to_microseconds(i // 4 * 1000)")
                    + " FROM range(" + rows + ") t(i)");
        }
    }

    @Override
    public long rawScan() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, properties)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET jdbc_stream_results = true");
            }
            // The connector's query: the same expressions, filter and order.
            try (PreparedStatement statement = connection.prepareStatement("SELECT epoch_us(\"UPDATED_AT\"), "
                    + "\"EXTERNAL_ID\", \"ALIAS_NAME\", \"ALIAS_LABEL\", \"EMAIL\", \"PHONE\", \"PAYLOAD\" "
                    + "FROM \"main\".\"users\" WHERE \"UPDATED_AT\" <= CAST(? AS TIMESTAMP) ORDER BY \"UPDATED_AT\"",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setString(1, "2999-01-01 00:00:00");
                statement.setFetchSize(2048);
                try (ResultSet result = statement.executeQuery()) {
                    return RawScan.readAll(result, 7);
                }
            }
        }
    }

    @Override
    public long connectorRead() {
        return ConnectorScan.readAll("duckdb", ConnectorSettings.of(Map.of("path", database.toString())), "main.users");
    }

    @Override
    public RunResult sync(Path stateDirectory, SyncOptions options) {
        SyncSpec spec = SyncSpec.builder()
                .integration("bench")
                .connector("duckdb", ConnectorSettings.of(Map.of("path", database.toString())))
                .table("main.users")
                .dataType(DataType.ATTRIBUTES)
                .options(options)
                .build();
        // An engine per sync, closed after it: each measured run opens its connector, as a first run does.
        try (SyncEngine engine = SyncEngine.builder().stateStore(new FileStateStore(stateDirectory)).build()) {
            return engine.run(spec, new AcceptingSink());
        }
    }

    @Override
    public void close() throws java.io.IOException {
        Files.deleteIfExists(database);
    }
}
