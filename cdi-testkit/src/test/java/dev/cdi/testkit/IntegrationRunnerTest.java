package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunStatus;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.InMemoryRunHistory;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.lease.Lease;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.scheduler.ScheduledIntegration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run whose process died is not left running forever: the next holder of its lease ends it. */
@ExtendWith(FakeWarehouseExtension.class)
class IntegrationRunnerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(2);

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryLeaseStore leases = new InMemoryLeaseStore(clock);
    private final RunHistory history = new InMemoryRunHistory();

    @Test
    void theNextRunEndsARunWhoseProcessDied(FakeWarehouse warehouse, SyncEngine engine) {
        ScheduledIntegration users = users(warehouse);
        diedWhileRunning("dead-run", "users");
        clock.advance(TTL.plusSeconds(1));

        try (IntegrationRunner runner = runner(engine)) {
            assertThat(runner.runIfFree(users).orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
        }

        RunSummary dead = history.run("dead-run").orElseThrow();
        assertThat(dead.status()).isEqualTo(RunStatus.ERROR);
        assertThat(dead.finishedAt()).contains(T0.plus(TTL).plusSeconds(1));
        assertThat(dead.error().orElseThrow().code()).isEqualTo(ErrorCode.RUN_ABANDONED);
        assertThat(dead.error().orElseThrow().message()).contains("The process running it stopped");
        assertThat(history.runs("users", 10)).extracting(RunSummary::status)
                .containsExactlyInAnyOrder(RunStatus.SUCCESS, RunStatus.ERROR);
    }

    @Test
    void aRunWhoseLeaseIsStillHeldIsNotTouched(FakeWarehouse warehouse, SyncEngine engine) {
        ScheduledIntegration users = users(warehouse);
        diedWhileRunning("live-run", "users");
        clock.advance(TTL.minusSeconds(1));

        try (IntegrationRunner runner = runner(engine)) {
            assertThat(runner.runIfFree(users)).isEmpty();
            runner.endAbandonedRuns();
        }

        assertThat(history.run("live-run").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void thePruningPassEndsAbandonedRunsOfIntegrationsThatNoLongerRun(SyncEngine engine) {
        diedWhileRunning("deleted-integrations-run", "gone");
        clock.advance(TTL.plusSeconds(1));

        try (IntegrationRunner runner = runner(engine)) {
            runner.endAbandonedRuns();
        }

        assertThat(history.run("deleted-integrations-run").orElseThrow().error().orElseThrow().code())
                .isEqualTo(ErrorCode.RUN_ABANDONED);
        assertThat(history.integrationsWithRunningRuns()).isEmpty();
        assertThat(leases.tryAcquire("gone", "someone", TTL)).isPresent();
    }

    /** What a process leaves behind when it is killed mid-run: a running record and a lease it never releases. */
    private void diedWhileRunning(String runId, String integration) {
        Optional<Lease> lease = leases.tryAcquire(integration, "dead-process/" + runId, TTL);
        assertThat(lease).isPresent();
        history.recordStart(runId, integration, clock.instant());
    }

    private IntegrationRunner runner(SyncEngine engine) {
        return new IntegrationRunner(engine, leases, history, Optional.empty(), any -> new RecordingSink(), TTL, clock);
    }

    private static ScheduledIntegration users(FakeWarehouse warehouse) {
        FakeTable table = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        table.row().updatedAt(T0.minusSeconds(60)).externalId("u1").payload("{}").insert();
        return new ScheduledIntegration(warehouse.spec("users", table, DataType.ATTRIBUTES).build(),
                Schedule.parse("daily at 02:30"), ZoneId.of("UTC"), Optional.empty());
    }
}
