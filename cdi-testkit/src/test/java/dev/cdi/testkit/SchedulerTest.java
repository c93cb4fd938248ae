package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.InMemoryRunHistory;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.lease.Lease;
import dev.cdi.core.lease.LeaseStore;
import dev.cdi.core.notify.Notification;
import dev.cdi.core.notify.NotificationDispatcher;
import dev.cdi.core.notify.NotificationPolicy;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.IntegrationCatalog;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.scheduler.Scheduler;
import dev.cdi.core.scheduler.TriggerResult;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.core.state.PostgresStateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 9: schedules run due integrations, "sync now" runs at once, and never two runs of one integration. */
@ExtendWith(FakeWarehouseExtension.class)
class SchedulerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /**
     * The lease time to live of the two-process test: renewed every 2 s while a run goes on, and long enough that
     * a slow machine does not let a held lease lapse between two statements of the test.
     */
    private static final Duration SHARED_LEASE_TTL = Duration.ofSeconds(6);

    /**
     * Counts the leases granted and released. A run starts only under a lease it was granted and releases it as
     * the last thing it does (after recording its end), so when both counts agree every run started so far has
     * ended, and the granted count is how many runs were started.
     */
    private static final class CountingLeaseStore implements LeaseStore {
        private final LeaseStore leases;
        private final AtomicInteger granted = new AtomicInteger();
        private final AtomicInteger released = new AtomicInteger();

        CountingLeaseStore(LeaseStore leases) {
            this.leases = leases;
        }

        @Override
        public Optional<Lease> tryAcquire(String integration, String holder, Duration ttl) {
            Optional<Lease> lease = leases.tryAcquire(integration, holder, ttl);
            lease.ifPresent(any -> granted.incrementAndGet());
            return lease;
        }

        @Override
        public boolean renew(Lease lease, Duration ttl) {
            return leases.renew(lease, ttl);
        }

        @Override
        public void release(Lease lease) {
            leases.release(lease);
            released.incrementAndGet();
        }

        int runsStarted() {
            return granted.get();
        }

        void awaitEveryRunEnded() throws Exception {
            TestingAwait.until("every run started has ended", () -> released.get() == granted.get());
        }
    }

    private static ScheduledIntegration integration(FakeWarehouse warehouse, FakeTable table, String schedule,
            Optional<NotificationPreferences> notifications) {
        return new ScheduledIntegration(warehouse.spec("users", table, DataType.ATTRIBUTES).build(),
                Schedule.parse(schedule), ZoneId.of("Europe/Paris"), notifications);
    }

    private static FakeTable usersWithRows(FakeWarehouse warehouse) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        return users;
    }

    /** When the shared lease of {@code users} lapses, by the database's clock. */
    private static Instant storedExpiry(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT expires_at FROM cdi_shared.lease WHERE integration = 'users'");
                ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                throw new AssertionError("no lease row for users");
            }
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** Does to the shared lease of {@code users} what its time to live passing on the database's clock would. */
    private static void letSharedLeaseTtlPass(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE cdi_shared.lease SET expires_at = expires_at - interval '"
                    + SHARED_LEASE_TTL.toMillis() + " milliseconds' WHERE integration = 'users'");
        }
    }

    @Test
    void aDueIntegrationRunsOnceAndItsNextRunIsPlanned(FakeWarehouse warehouse, SyncEngine engine) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:59:00Z"));
        RunHistory history = new InMemoryRunHistory();
        RecordingSink sink = new RecordingSink();
        CountingLeaseStore leases = new CountingLeaseStore(new InMemoryLeaseStore(clock));
        ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "hourly at :00", Optional.empty());
        try (IntegrationRunner runner = new IntegrationRunner(engine, leases, history,
                Optional.empty(), any -> sink, Duration.ofMinutes(2), clock);
                Scheduler scheduler = new Scheduler(IntegrationCatalog.of(List.of(users)), runner, 2, Duration.ofSeconds(1),
                        clock)) {
            scheduler.tick();
            assertThat(scheduler.nextRuns()).containsEntry("users", Instant.parse("2026-03-01T09:00:00Z"));
            assertThat(history.runs("users", 10)).isEmpty();

            clock.advance(Duration.ofMinutes(1));
            scheduler.tick();
            scheduler.tick();
            leases.awaitEveryRunEnded();
            assertThat(leases.runsStarted()).as("the second tick of the minute starts nothing").isEqualTo(1);
            assertThat(history.runs("users", 10)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCESS));
            assertThat(sink.rows()).hasSize(1);
            assertThat(scheduler.nextRuns()).containsEntry("users", Instant.parse("2026-03-01T10:00:00Z"));

            clock.advance(Duration.ofHours(5));
            scheduler.tick();
            leases.awaitEveryRunEnded();
            assertThat(leases.runsStarted()).as("missed runs happen once, not five times").isEqualTo(2);
            assertThat(history.runs("users", 10)).hasSize(2);
        }
    }

    @Test
    void syncNowRunsAtOnceAndASecondRequestIsToldAnotherRunIsInProgress(FakeWarehouse warehouse, SyncEngine engine)
            throws Exception {
        ManualClock clock = new ManualClock(T0);
        RunHistory history = new InMemoryRunHistory();
        GateSink gate = new GateSink();
        CountingLeaseStore leases = new CountingLeaseStore(new InMemoryLeaseStore(clock));
        ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "daily at 02:30", Optional.empty());
        try (IntegrationRunner runner = new IntegrationRunner(engine, leases, history,
                Optional.empty(), any -> gate, Duration.ofMinutes(2), clock);
                Scheduler scheduler = new Scheduler(IntegrationCatalog.of(List.of(users)), runner, 2, Duration.ofSeconds(1),
                        clock)) {
            scheduler.tick();
            Instant planned = scheduler.nextRuns().get("users");

            assertThat(scheduler.syncNow("users")).isEqualTo(TriggerResult.ACCEPTED);
            assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(history.runs("users", 10)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.RUNNING));
            assertThat(scheduler.syncNow("users")).isEqualTo(TriggerResult.ANOTHER_RUN_IN_PROGRESS);
            assertThat(scheduler.syncNow("nobody")).isEqualTo(TriggerResult.NOT_FOUND);
            assertThat(scheduler.nextRuns()).as("sync now does not move the schedule").containsEntry("users", planned);

            gate.release.countDown();
            leases.awaitEveryRunEnded();
            assertThat(history.runs("users", 10)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCESS));
            assertThat(scheduler.syncNow("users")).as("free once the run released its lease")
                    .isEqualTo(TriggerResult.ACCEPTED);
        }
    }

    @Test
    void aFailedRunIsRecordedAndNotified(FakeWarehouse warehouse, SyncEngine engine) throws Exception {
        List<Notification> sent = new CopyOnWriteArrayList<>();
        RunHistory history = new InMemoryRunHistory();
        FakeTable users = usersWithRows(warehouse);
        warehouse.faults().denyPermission();
        ScheduledIntegration integration = integration(warehouse, users, "daily at 02:30",
                Optional.of(NotificationPreferences.builder().addContactEmail("ops@example.com").build()));
        try (IntegrationRunner runner = new IntegrationRunner(engine, new InMemoryLeaseStore(), history,
                Optional.of(new NotificationDispatcher(new NotificationPolicy(), sent::add)), any -> new RecordingSink(),
                Duration.ofMinutes(2), Clock.systemUTC())) {
            RunResult result = runner.runIfFree(integration).orElseThrow();
            assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        }
        assertThat(history.runs("users", 10)).singleElement()
                .satisfies(run -> assertThat(run.error().orElseThrow().message()).contains("Permission denied"));
        assertThat(sent).singleElement().satisfies(notification -> {
            assertThat(notification.recipients()).containsExactly("ops@example.com");
            assertThat(notification.subject()).contains("users", "PERMISSIONS");
        });
    }

    @Test
    void twoProcessesSharingAPostgresStoreNeverRunOneIntegrationTwiceAtOnce(FakeWarehouse warehouse) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            DataSource database = postgres.getPostgresDatabase();
            // Two stores over two data sources: what two JVMs sharing one database have.
            PostgresStateStore first = new PostgresStateStore(database, "cdi_shared");
            PostgresStateStore second = new PostgresStateStore(postgres.getPostgresDatabase(), "cdi_shared");
            ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "daily at 02:30", Optional.empty());
            GateSink gate = new GateSink();
            SyncEngine engineA = SyncEngine.builder().stateStore(first).registerConnector(new FakeWarehouseConnectorProvider()).build();
            SyncEngine engineB = SyncEngine.builder().stateStore(second).registerConnector(new FakeWarehouseConnectorProvider()).build();
            try (IntegrationRunner a = new IntegrationRunner(engineA, first, first, Optional.empty(), any -> gate,
                    SHARED_LEASE_TTL, Clock.systemUTC());
                    IntegrationRunner b = new IntegrationRunner(engineB, second, second, Optional.empty(),
                            any -> new RecordingSink(), SHARED_LEASE_TTL, Clock.systemUTC())) {
                Lease held = a.acquire(users).orElseThrow();
                CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> a.run(users, held));
                assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
                TestingAwait.until("the running run renews its lease in the shared database",
                        () -> storedExpiry(database).isAfter(held.expiresAt()));
                assertThat(b.runIfFree(users)).as("held by the run that renews it").isEmpty();
                gate.release.countDown();
                assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCESS);
                assertThat(b.runIfFree(users)).as("free again once the run ended").isPresent();

                Lease abandoned = a.acquire(users).orElseThrow();
                assertThat(abandoned.integration()).isEqualTo("users");
                assertThat(b.runIfFree(users)).as("held by a holder that then dies").isEmpty();
                letSharedLeaseTtlPass(database);
                assertThat(b.runIfFree(users)).as("a dead holder's lease expires").isPresent();
            }
            assertThat(second.runs("users", 10)).extracting(RunSummary::status)
                    .containsOnly(RunStatus.SUCCESS).hasSize(3);
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    @Test
    void theInMemoryStateKeepsWatermarksAcrossScheduledRuns(FakeWarehouse warehouse) {
        InMemoryStateStore state = new InMemoryStateStore();
        SyncEngine engine = SyncEngine.builder().stateStore(state).registerConnector(new FakeWarehouseConnectorProvider()).build();
        ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "daily at 02:30", Optional.empty());
        try (IntegrationRunner runner = new IntegrationRunner(engine, new InMemoryLeaseStore(), new InMemoryRunHistory(),
                Optional.empty(), any -> new RecordingSink(), Duration.ofMinutes(2), Clock.systemUTC())) {
            assertThat(runner.runIfFree(users).orElseThrow().rowsRead()).isEqualTo(1);
            assertThat(runner.runIfFree(users).orElseThrow().rowsRead()).isZero();
        }
    }

    @Test
    void runsKeepTheHistoryToItsRetention(FakeWarehouse warehouse, SyncEngine engine) {
        RunHistory history = new InMemoryRunHistory();
        Instant longAgo = Instant.now().minus(Duration.ofDays(40));
        history.recordEnd(new RunResult("old-run", "users", RunStatus.PARTIAL, longAgo, longAgo, 1, 0, 1, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(new RowError(RowErrorCode.INVALID_JSON,
                        "bad", Optional.empty(), Optional.of(longAgo), Optional.empty())), Optional.empty()));
        ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "daily at 02:30", Optional.empty());
        try (IntegrationRunner runner = new IntegrationRunner(engine, new InMemoryLeaseStore(), history,
                Optional.empty(), any -> new RecordingSink(), Duration.ofMinutes(2), Clock.systemUTC())) {
            runner.runIfFree(users).orElseThrow();
        }
        assertThat(history.run("old-run")).as("summaries are kept a year").isPresent();
        assertThat(history.rowErrors("old-run", 0, 10)).as("row detail is pruned after 30 days").isEmpty();
    }

    @Test
    void twoSchedulersSharingALeaseStoreStartAContestedIntegrationExactlyOnce(FakeWarehouse warehouse) throws Exception {
        CountingLeaseStore shared = new CountingLeaseStore(new InMemoryLeaseStore());
        InMemoryRunHistory history = new InMemoryRunHistory();
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:59:00Z"));
        ScheduledIntegration users = integration(warehouse, usersWithRows(warehouse), "hourly at :00", Optional.empty());
        GateSink gate = new GateSink();
        SyncEngine engineA = SyncEngine.builder().registerConnector(new FakeWarehouseConnectorProvider()).build();
        SyncEngine engineB = SyncEngine.builder().registerConnector(new FakeWarehouseConnectorProvider()).build();
        try (IntegrationRunner a = new IntegrationRunner(engineA, shared, history, Optional.empty(), any -> gate,
                Duration.ofMinutes(2), clock);
                IntegrationRunner b = new IntegrationRunner(engineB, shared, history, Optional.empty(), any -> gate,
                        Duration.ofMinutes(2), clock);
                Scheduler first = new Scheduler(IntegrationCatalog.of(List.of(users)), a, 2, Duration.ofSeconds(1), clock);
                Scheduler second = new Scheduler(IntegrationCatalog.of(List.of(users)), b, 2, Duration.ofSeconds(1), clock)) {
            first.tick();
            second.tick();
            clock.advance(Duration.ofMinutes(1));
            first.tick();
            second.tick();
            assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
            gate.release.countDown();
            shared.awaitEveryRunEnded();
            // A scheduler starts a run only in tick(), which has returned: nothing else can start after this.
            assertThat(shared.runsStarted()).as("one run, not one per scheduler").isEqualTo(1);
            assertThat(history.runs("users", 10)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCESS));
        }
    }
}
