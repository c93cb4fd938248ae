package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.core.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine keeps a connector open across runs and integrations, and closes it when it should. */
class ConnectorReuseTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final CountingProvider provider = new CountingProvider();
    private FakeWarehouse warehouse;
    private SyncEngine engine;
    private SyncSpec users;
    private SyncSpec events;

    @BeforeEach
    void setUp() {
        warehouse = FakeWarehouse.create();
        FakeTable usersTable = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        usersTable.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        FakeTable eventsTable = warehouse.createTable("main.events", DataType.ATTRIBUTES);
        eventsTable.row().updatedAt(T0).externalId("e1").payload("{}").insert();
        users = warehouse.spec("users", usersTable, DataType.ATTRIBUTES).build();
        events = warehouse.spec("events", eventsTable, DataType.ATTRIBUTES).build();
        engine = SyncEngine.builder().registerConnector(provider).clock(clock).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        warehouse.close();
    }

    @Test
    void aSecondRunOfAnIntegrationReusesItsConnector() {
        assertSucceeds(engine.run(users, new RecordingSink()));
        assertSucceeds(engine.run(users, new RecordingSink()));

        assertThat(provider.opened).hasSize(1);
        assertThat(provider.opened.get(0).closes).isZero();
    }

    @Test
    void integrationsWithTheSameSettingsShareAConnectorAndOthersDoNot() {
        assertSucceeds(engine.run(users, new RecordingSink()));
        assertSucceeds(engine.run(events, new RecordingSink()));
        assertThat(provider.opened).hasSize(1);

        try (FakeWarehouse other = FakeWarehouse.create()) {
            FakeTable table = other.createTable("main.users", DataType.ATTRIBUTES);
            assertSucceeds(engine.run(other.spec("other_users", table, DataType.ATTRIBUTES).build(), new RecordingSink()));
            assertThat(provider.opened).hasSize(2);
            engine.close();
        }
        assertThat(provider.opened).allSatisfy(connector -> assertThat(connector.closes).isEqualTo(1));
    }

    @Test
    void aConnectorIdleForTheTimeoutIsClosedAndTheNextRunOpensANewOne() {
        assertSucceeds(engine.run(users, new RecordingSink()));
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertSucceeds(engine.run(users, new RecordingSink()));
        assertThat(provider.opened).as("idle for less than the timeout").hasSize(1);

        clock.advance(Duration.ofMinutes(5));
        assertSucceeds(engine.run(users, new RecordingSink()));

        assertThat(provider.opened).hasSize(2);
        assertThat(provider.opened.get(0).closes).isEqualTo(1);
        assertThat(provider.opened.get(1).closes).isZero();
    }

    @Test
    void theIdleTimeoutIsConfigurable() {
        try (SyncEngine quick = SyncEngine.builder().registerConnector(provider).clock(clock)
                .connectorIdleTimeout(Duration.ofSeconds(30)).build()) {
            assertSucceeds(quick.run(users, new RecordingSink()));
            clock.advance(Duration.ofSeconds(30));
            assertSucceeds(quick.run(users, new RecordingSink()));
        }
        assertThat(provider.opened).hasSize(2);
        assertThat(provider.opened).allSatisfy(connector -> assertThat(connector.closes).isEqualTo(1));
    }

    @Test
    void aConnectivityFailureMakesTheNextRunOpenANewConnector() {
        warehouse.faults().failNextQuery(ErrorCode.CONNECTION_FAILED);
        assertThat(engine.run(users, new RecordingSink()).status()).isEqualTo(RunStatus.ERROR);
        assertThat(provider.opened.get(0).closes).isEqualTo(1);

        assertSucceeds(engine.run(users, new RecordingSink()));
        assertThat(provider.opened).hasSize(2);
    }

    @Test
    void anAuthenticationFailureMakesTheNextRunOpenANewConnector() {
        warehouse.faults().failNextQuery(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(engine.run(users, new RecordingSink()).status()).isEqualTo(RunStatus.ERROR);

        assertSucceeds(engine.run(users, new RecordingSink()));
        assertThat(provider.opened).hasSize(2);
        assertThat(provider.opened.get(0).closes).isEqualTo(1);
    }

    @Test
    void aPermissionFailureKeepsTheConnector() {
        warehouse.faults().denyPermission();
        assertThat(engine.run(users, new RecordingSink()).status()).isNotEqualTo(RunStatus.SUCCESS);
        warehouse.faults().clear();

        assertSucceeds(engine.run(users, new RecordingSink()));
        assertThat(provider.opened).hasSize(1);
    }

    @Test
    void anUnhealthyConnectorIsReplaced() {
        assertSucceeds(engine.run(users, new RecordingSink()));
        provider.opened.get(0).healthy = false;

        assertSucceeds(engine.run(users, new RecordingSink()));

        assertThat(provider.opened).hasSize(2);
        assertThat(provider.opened.get(0).closes).isEqualTo(1);
    }

    @Test
    void aConnectorIsNotClosedWhileARunUsesIt() throws Exception {
        GateSink holding = new GateSink();
        ExecutorService runs = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> held = runs.submit(() -> engine.run(users, holding));
            assertThat(holding.entered.await(30, TimeUnit.SECONDS)).isTrue();

            clock.advance(Duration.ofHours(1));
            assertSucceeds(engine.run(events, new RecordingSink()));
            assertThat(provider.opened).as("shared while the other run is in progress").hasSize(1);
            engine.close();
            assertThat(provider.opened.get(0).closes).as("in use by the held run").isZero();

            holding.release.countDown();
            assertSucceeds(held.get(30, TimeUnit.SECONDS));
            assertThat(provider.opened.get(0).closes).isEqualTo(1);
        } finally {
            holding.release.countDown();
            runs.shutdownNow();
        }
    }

    @Test
    void theIdleTimeStartsWhenTheLastRunEnds() throws Exception {
        GateSink holding = new GateSink();
        ExecutorService runs = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> held = runs.submit(() -> engine.run(users, holding));
            assertThat(holding.entered.await(30, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMinutes(10));
            holding.release.countDown();
            assertSucceeds(held.get(30, TimeUnit.SECONDS));

            clock.advance(Duration.ofMinutes(4));
            assertSucceeds(engine.run(events, new RecordingSink()));
            assertThat(provider.opened).hasSize(1);
            assertThat(provider.opened.get(0).closes).isZero();
        } finally {
            holding.release.countDown();
            runs.shutdownNow();
        }
    }

    @Test
    void runsAfterCloseOpenAConnectorEachAndCloseIt() {
        assertSucceeds(engine.run(users, new RecordingSink()));
        engine.close();
        assertThat(provider.opened.get(0).closes).isEqualTo(1);

        assertSucceeds(engine.run(users, new RecordingSink()));

        assertThat(provider.opened).hasSize(2);
        assertThat(provider.opened.get(1).closes).isEqualTo(1);
    }

    @Test
    void aCallerOpenedConnectorIsLeftOpen() {
        try (SourceConnector connector = warehouse.connector()) {
            CountingConnector counting = new CountingConnector(connector);
            assertSucceeds(engine.run(users, counting, new RecordingSink()));
            engine.close();
            assertThat(counting.closes).isZero();
        }
        assertThat(provider.opened).isEmpty();
    }

    private static void assertSucceeds(RunResult result) {
        assertThat(result.status()).as("%s", result.error()).isEqualTo(RunStatus.SUCCESS);
    }

    /** Opens fake warehouse connectors, keeping each one to count how often it was closed. */
    private static final class CountingProvider implements SourceConnectorProvider {
        private final FakeWarehouseConnectorProvider delegate = new FakeWarehouseConnectorProvider();
        final List<CountingConnector> opened = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public SourceConnector open(ConnectorSettings settings) {
            CountingConnector connector = new CountingConnector(delegate.open(settings));
            opened.add(connector);
            return connector;
        }
    }

    /** A connector that counts its closings and can be told to report itself unhealthy. */
    private static final class CountingConnector implements SourceConnector {
        private final SourceConnector delegate;
        volatile int closes;
        volatile boolean healthy = true;

        CountingConnector(SourceConnector delegate) {
            this.delegate = delegate;
        }

        @Override
        public Instant currentTime() {
            return delegate.currentTime();
        }

        @Override
        public TableSchema describe(TableName table) {
            return delegate.describe(table);
        }

        @Override
        public long count(TableName table, TableSchema schema, RowFilter filter) {
            return delegate.count(table, schema, filter);
        }

        @Override
        public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters) {
            return delegate.countEach(table, schema, filters);
        }

        @Override
        public RowStream read(ReadRequest request) {
            return delegate.read(request);
        }

        @Override
        public boolean isHealthy() {
            return healthy;
        }

        @Override
        public synchronized void close() {
            closes++;
            delegate.close();
        }
    }
}
