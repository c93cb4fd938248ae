package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.jdbc.JdbcSourceConnector;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingRedshiftServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine keeps one Redshift connector, with its pool, across runs; closing the engine closes the pool. */
class RedshiftConnectorReuseTest {
    private static TestingRedshiftServer server;

    private final List<SourceConnector> opened = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = TestingRedshift.server();
    }

    @AfterEach
    void drop() {
        server.execute("DROP SCHEMA IF EXISTS reuse_test CASCADE");
    }

    @Test
    void aSecondRunUsesTheSamePoolAndCloseClosesIt() {
        server.execute("CREATE SCHEMA reuse_test",
                "CREATE TABLE reuse_test.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO reuse_test.users VALUES ('2026-01-02 03:04:05+00', 'u1', '{}')");
        try (SyncEngine engine = SyncEngine.builder().registerConnector(new RecordingProvider()).build()) {
            assertThat(status(engine.run(spec(), new RecordingSink()))).isEqualTo(RunStatus.SUCCESS);
            long connectionsAfterFirstRun = server.proxiedConnections();

            assertThat(status(engine.run(spec(), new RecordingSink()))).isEqualTo(RunStatus.SUCCESS);

            assertThat(opened).hasSize(1);
            assertThat(server.proxiedConnections()).as("no new pool, no new login")
                    .isEqualTo(connectionsAfterFirstRun);
            assertThat(opened.get(0).isHealthy()).isTrue();
        }
        assertThat(opened.get(0).isHealthy()).as("pool closed with the engine").isFalse();
    }

    private static RunStatus status(RunResult result) {
        assertThat(result.error()).isEmpty();
        return result.status();
    }

    private static SyncSpec spec() {
        return SyncSpec.builder().integration("reuse")
                .connector("redshift", new ConnectorSettings(TestingRedshift.settings(), RedshiftSettings.SECRET_KEYS))
                .table("reuse_test.users").dataType(DataType.ATTRIBUTES).build();
    }

    /** The Redshift provider, keeping every connector it opens. */
    private final class RecordingProvider implements SourceConnectorProvider {
        private final RedshiftConnectorProvider delegate = new RedshiftConnectorProvider();

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public SourceConnector open(ConnectorSettings settings) {
            SourceConnector connector = delegate.open(settings);
            assertThat(connector).isInstanceOf(JdbcSourceConnector.class);
            opened.add(connector);
            return connector;
        }
    }
}
