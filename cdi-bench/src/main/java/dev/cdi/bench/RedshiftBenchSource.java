package dev.cdi.bench;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.FileStateStore;
import dev.cdi.testkit.TestingRedshiftServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL standing in for Redshift ({@link TestingRedshiftServer}), read through the {@code redshift}
 * connector and the real Redshift driver.
 */
final class RedshiftBenchSource implements BenchSource {
    private final TestingRedshiftServer server = TestingRedshiftServer.start();

    @Override
    public String name() {
        return "redshift";
    }

    @Override
    public void load(long rows) {
        server.execute("DROP TABLE IF EXISTS public.users",
                "CREATE TABLE public.users (updated_at timestamptz, external_id varchar, alias_name varchar, "
                        + "alias_label varchar, email varchar, phone varchar, payload varchar(65535))",
                "INSERT INTO public.users SELECT " + BenchTable.selectList(
                        "TIMESTAMPTZ '2026-01-01 00:00:00+00' + (i / 4) * INTERVAL '1 millisecond'")
                        + " FROM generate_series(0, " + (rows - 1) + ") AS t(i)",
                // Settles the table now, so that neither autovacuum nor the first reader's hint-bit writes land in
                // a measurement.
                "VACUUM (FREEZE, ANALYZE) public.users");
    }

    @Override
    public long rawScan() throws SQLException {
        // The driver settings and the query of the connector (RedshiftConnections, RedshiftDialect).
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        properties.setProperty("enableFetchRingBuffer", "true");
        properties.setProperty("fetchRingBufferSize", "8M");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties)) {
            try (PreparedStatement zone = connection.prepareStatement("SET timezone TO 'UTC'")) {
                zone.execute();
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT to_char(\"updated_at\" AT TIME ZONE "
                    + "'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), \"external_id\", \"alias_name\", \"alias_label\", \"email\", "
                    + "\"phone\", \"payload\" FROM \"public\".\"users\" WHERE \"updated_at\" <= CAST(? AS TIMESTAMPTZ) "
                    + "ORDER BY \"updated_at\"", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setString(1, "2999-01-01 00:00:00+00");
                try (ResultSet result = statement.executeQuery()) {
                    return RawScan.readAll(result, 7);
                }
            }
        }
    }

    @Override
    public long connectorRead() {
        return ConnectorScan.readAll("redshift", settings(), "public.users");
    }

    @Override
    public RunResult sync(Path stateDirectory, SyncOptions options) {
        SyncSpec spec = SyncSpec.builder()
                .integration("bench")
                .connector("redshift", settings())
                .table("public.users")
                .dataType(DataType.ATTRIBUTES)
                .options(options)
                .build();
        // An engine per sync, closed after it: each measured run opens its connector, as a first run does.
        try (SyncEngine engine = SyncEngine.builder().stateStore(new FileStateStore(stateDirectory)).build()) {
            return engine.run(spec, new AcceptingSink());
        }
    }

    private ConnectorSettings settings() {
        return ConnectorSettings.of(Map.of("host", server.host(), "port", Integer.toString(server.port()), "database",
                server.database(), "user", server.user(), "password", server.password(), "ssl", "false"));
    }

    @Override
    public void close() {
        server.close();
    }
}
