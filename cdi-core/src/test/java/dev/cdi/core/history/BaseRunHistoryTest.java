package dev.cdi.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RunHistory} shares. */
public abstract class BaseRunHistoryTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00.123456789Z");
    private static final Identifier ALICE = new Identifier.ExternalId("alice");

    /**
     * The history under test, empty at the start of each test.
     *
     * @return the history
     */
    protected abstract RunHistory history();

    @Test
    public void runInProgressShowsAsRunningUntilItEnds() {
        history().recordStart("run-1", "orders", NOW);

        assertThat(history().run("run-1")).contains(RunSummary.running("run-1", "orders", NOW));
        assertThat(history().runs("orders", 10)).extracting(RunSummary::status).containsExactly(RunStatus.RUNNING);

        RunResult result = result("run-1", "orders", NOW, RunStatus.PARTIAL, List.of(error(ALICE)));
        history().recordEnd(result);

        assertThat(history().run("run-1")).contains(RunSummary.of(result));
        assertThat(history().run("unknown")).isEmpty();
    }

    @Test
    public void endsTheAbandonedRunsOfOneIntegrationOnly() {
        history().recordStart("dead", "orders", NOW);
        history().recordStart("alive", "users", NOW);
        RunResult done = result("done", "orders", NOW.minusSeconds(60), RunStatus.SUCCESS, List.of());
        history().recordEnd(done);
        assertThat(history().integrationsWithRunningRuns()).containsExactlyInAnyOrder("orders", "users");

        List<RunSummary> ended = history().endAbandonedRuns("orders", NOW.plusSeconds(300));

        assertThat(ended).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo("dead");
            assertThat(run.status()).isEqualTo(RunStatus.ERROR);
            assertThat(run.finishedAt()).contains(NOW.plusSeconds(300));
            assertThat(run.error().orElseThrow().code()).isEqualTo(ErrorCode.RUN_ABANDONED);
            assertThat(run.error().orElseThrow().message())
                    .contains("process running it stopped before the run ended")
                    .contains(NOW.plusSeconds(300).toString());
        });
        assertThat(history().run("dead")).contains(ended.get(0));
        assertThat(history().run("done")).contains(RunSummary.of(done));
        assertThat(history().run("alive").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(history().integrationsWithRunningRuns()).containsExactly("users");
        assertThat(history().endAbandonedRuns("orders", NOW.plusSeconds(600))).isEmpty();
    }

    @Test
    public void keepsEveryFieldOfAFinishedRunExactly() {
        RunResult failed = new RunResult("run-9", "orders", RunStatus.ERROR, NOW, NOW.plusNanos(1_000_000_001),
                10, 7, 2, 4, Optional.of(Instant.parse("1999-12-31T23:59:59.999999999Z")),
                Optional.of(Instant.parse("2000-01-01T00:00:00.000000001Z")),
                Optional.of(new Watermark(Instant.parse("2000-01-01T00:00:00.000000001Z"), 3)), List.of(),
                Optional.of(new SyncError(ErrorCode.CONNECTION_FAILED, "The warehouse went away; retry later")));
        RunResult empty = result("run-10", "orders", NOW.plusSeconds(1), RunStatus.SUCCESS, List.of());

        history().recordEnd(failed);
        history().recordEnd(empty);
        history().recordEnd(empty);

        assertThat(history().run("run-9")).contains(RunSummary.of(failed));
        assertThat(history().run("run-10")).contains(RunSummary.of(empty));
    }

    @Test
    public void listsAnIntegrationsRunsNewestFirstUpToTheLimit() {
        history().recordEnd(result("old", "orders", NOW.minusSeconds(60), RunStatus.SUCCESS, List.of()));
        history().recordEnd(result("other", "users", NOW, RunStatus.SUCCESS, List.of()));
        history().recordStart("newest", "orders", NOW.plusNanos(1));
        history().recordEnd(result("middle", "orders", NOW, RunStatus.SUCCESS, List.of()));

        assertThat(history().runs("orders", 10)).extracting(RunSummary::runId)
                .containsExactly("newest", "middle", "old");
        assertThat(history().runs("orders", 2)).extracting(RunSummary::runId).containsExactly("newest", "middle");
        assertThat(history().runs("nothing", 5)).isEmpty();
    }

    @Test
    public void pagesARunsRowErrorsInReportedOrder() {
        List<RowError> errors = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            errors.add(error(new Identifier.ExternalId("user-" + i)));
        }
        history().recordEnd(result("run-1", "orders", NOW, RunStatus.PARTIAL, errors));

        List<RecordedRowError> firstPage = history().rowErrors("run-1", 0, 10);
        List<RecordedRowError> lastPage = history().rowErrors("run-1", 20, 10);

        assertThat(firstPage).hasSize(10);
        assertThat(firstPage.get(0)).isEqualTo(new RecordedRowError("run-1", 0, errors.get(0)));
        assertThat(lastPage).extracting(RecordedRowError::position).containsExactly(20, 21, 22, 23, 24);
        assertThat(lastPage).extracting(RecordedRowError::error).containsExactlyElementsOf(errors.subList(20, 25));
        assertThat(history().rowErrors("run-1", 25, 10)).isEmpty();
        assertThat(history().rowErrors("unknown", 0, 10)).isEmpty();
    }

    @Test
    public void keepsEveryKindOfIdentifierAndTheErrorsDetail() {
        List<RowError> errors = List.of(
                error(new Identifier.ExternalId("x")),
                error(new Identifier.UserAlias("name", "label")),
                error(new Identifier.BrazeId("b")),
                error(new Identifier.Email("a@example.com")),
                error(new Identifier.Phone("+14155550100")),
                error(new Identifier.CatalogItemId("item_1")),
                new RowError(RowErrorCode.NULL_UPDATED_AT, "UPDATED_AT is NULL", Optional.empty(), Optional.empty(),
                        Optional.empty()));
        history().recordEnd(result("run-1", "orders", NOW, RunStatus.PARTIAL, errors));

        assertThat(history().rowErrors("run-1", 0, 100)).extracting(RecordedRowError::error)
                .containsExactlyElementsOf(errors);
    }

    @Test
    public void findsRowErrorsByIdentifierAcrossRunsNewestFirst() {
        RowError aliceOld = error(ALICE);
        RowError bob = error(new Identifier.ExternalId("bob"));
        RowError aliceEmail = error(new Identifier.Email("alice"));
        RowError aliceNew = new RowError(RowErrorCode.MISSING_PAYLOAD, "PAYLOAD is empty", Optional.of(ALICE),
                Optional.of(NOW), Optional.empty());
        history().recordEnd(result("run-1", "orders", NOW.minusSeconds(3600), RunStatus.PARTIAL,
                List.of(bob, aliceOld)));
        history().recordEnd(result("run-2", "orders", NOW, RunStatus.PARTIAL, List.of(aliceNew, aliceEmail, aliceNew)));
        history().recordEnd(result("run-3", "users", NOW, RunStatus.PARTIAL, List.of(aliceNew)));

        assertThat(history().rowErrors("orders", ALICE, 10)).containsExactly(
                new RecordedRowError("run-2", 0, aliceNew),
                new RecordedRowError("run-2", 2, aliceNew),
                new RecordedRowError("run-1", 1, aliceOld));
        assertThat(history().rowErrors("orders", ALICE, 1)).hasSize(1);
        assertThat(history().rowErrors("orders", new Identifier.Email("alice"), 10))
                .containsExactly(new RecordedRowError("run-2", 1, aliceEmail));
    }

    @Test
    public void findsAnAliasOnlyWithItsLabel() {
        RowError alias = error(new Identifier.UserAlias("alice", "crm"));
        history().recordEnd(result("run-1", "orders", NOW, RunStatus.PARTIAL, List.of(alias)));

        assertThat(history().rowErrors("orders", new Identifier.UserAlias("alice", "crm"), 10)).hasSize(1);
        assertThat(history().rowErrors("orders", new Identifier.UserAlias("alice", "shop"), 10)).isEmpty();
        assertThat(history().rowErrors("orders", ALICE, 10)).isEmpty();
    }

    @Test
    public void pruningDropsOldRowDetailBeforeOldSummaries() {
        history().recordEnd(result("recent", "orders", NOW.minus(Duration.ofDays(29)), RunStatus.PARTIAL,
                List.of(error(ALICE))));
        history().recordEnd(result("month-old", "orders", NOW.minus(Duration.ofDays(31)), RunStatus.PARTIAL,
                List.of(error(ALICE))));
        history().recordEnd(result("year-old", "orders", NOW.minus(Duration.ofDays(366)), RunStatus.PARTIAL,
                List.of(error(ALICE))));

        history().prune(NOW);

        assertThat(history().runs("orders", 10)).extracting(RunSummary::runId).containsExactly("recent", "month-old");
        assertThat(history().run("month-old").orElseThrow().rowsFailed()).isEqualTo(1);
        assertThat(history().rowErrors("recent", 0, 10)).hasSize(1);
        assertThat(history().rowErrors("month-old", 0, 10)).isEmpty();
        assertThat(history().rowErrors("year-old", 0, 10)).isEmpty();
        assertThat(history().rowErrors("orders", ALICE, 10)).extracting(RecordedRowError::runId)
                .containsExactly("recent");

        history().prune(Duration.ZERO, Duration.ofDays(30), NOW);

        assertThat(history().runs("orders", 10)).extracting(RunSummary::runId).containsExactly("recent");
        assertThat(history().rowErrors("recent", 0, 10)).isEmpty();
    }

    @Test
    public void refusesMisuse() {
        history().recordStart("run-1", "orders", NOW);

        assertThatThrownBy(() -> history().recordStart("run-1", "orders", NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history().recordEnd(result("run-1", "orders", NOW, RunStatus.RUNNING, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history().runs("orders", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history().rowErrors("run-1", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history().prune(Duration.ofDays(30), Duration.ofDays(1), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(history().run("run-1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    private static RunResult result(String runId, String integration, Instant startedAt, RunStatus status,
            List<RowError> rowErrors) {
        return new RunResult(runId, integration, status, startedAt, startedAt.plusSeconds(5), 10 + rowErrors.size(),
                10, rowErrors.size(), 0, Optional.of(startedAt.minusSeconds(100)), Optional.of(startedAt.minusSeconds(1)),
                Optional.of(new Watermark(startedAt.minusSeconds(1), 1)), rowErrors, Optional.empty());
    }

    private static RowError error(Identifier identifier) {
        return new RowError(RowErrorCode.INVALID_JSON, "PAYLOAD does not parse at line 1", Optional.of(identifier),
                Optional.of(Instant.parse("2026-01-01T00:00:00.000000007Z")), Optional.of("{\"broken\": "));
    }
}
