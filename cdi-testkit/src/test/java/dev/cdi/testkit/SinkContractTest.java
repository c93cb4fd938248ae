package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.sink.JsonLinesSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 7: a sink answers one outcome per row in any kind of list, immutable ones included; a sink that
 * breaks that contract ends the run at once (category {@code SINK}), since retrying a defect cannot help.
 */
@ExtendWith(FakeWarehouseExtension.class)
class SinkContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path directory;

    /** A sink whose answer to each batch is computed by a function, and that counts its calls. */
    private static final class AnsweringSink implements RowSink {
        private final Function<List<ResolvedRow>, CompletionStage<List<RowOutcome>>> answer;
        int calls;

        AnsweringSink(Function<List<ResolvedRow>, CompletionStage<List<RowOutcome>>> answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
            calls++;
            return answer.apply(batch);
        }
    }

    private static FakeTable rows(FakeWarehouse warehouse, int count) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < count; i++) {
            users.row().updatedAt(T0.plusSeconds(i)).externalId("u" + i).payload("{}").insert();
        }
        return users;
    }

    /** Batches of 5; five attempts with no back-off, so a retry would show in the call count at no cost in time. */
    private static SyncSpec spec(FakeWarehouse warehouse, FakeTable table) {
        return warehouse.spec("users", table, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().batchSize(5).sinkAttempts(5).sinkRetryBackoff(Duration.ZERO).build())
                .build();
    }

    private static List<RowOutcome> accepted(int count) {
        List<RowOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            outcomes.add(RowOutcome.accepted());
        }
        return outcomes;
    }

    /** The same sink, answering with an immutable copy of its list (whose {@code contains(null)} throws). */
    private static RowSink immutably(RowSink sink) {
        return batch -> sink.write(batch).thenApply(List::copyOf);
    }

    @Test
    void aSinkAnsweringAnImmutableListSyncsEveryRow(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(batch -> {
            List<RowOutcome> outcomes = new ArrayList<>();
            for (ResolvedRow row : batch) {
                boolean rejected = ((Identifier.ExternalId) row.identifier()).value().equals("u7");
                outcomes.add(rejected ? RowOutcome.rejected(RowErrorCode.USER_NOT_FOUND, "no such user")
                        : RowOutcome.accepted());
            }
            return CompletableFuture.completedFuture(List.copyOf(outcomes));
        });

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowsSynced()).isEqualTo(11);
        assertThat(result.rowsFailed()).isEqualTo(1);
        assertThat(sink.calls).as("one call per batch of 5, no retry").isEqualTo(3);
    }

    @Test
    void aSinkAnsweringListOfSyncsEveryRow(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 2);
        AnsweringSink sink = new AnsweringSink(
                batch -> CompletableFuture.completedFuture(List.of(RowOutcome.accepted(), RowOutcome.accepted())));

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsSynced()).isEqualTo(2);
        assertThat(sink.calls).isEqualTo(1);
    }

    @Test
    void aNonRetryableCdiExceptionEndsTheRunWithItsOwnErrorWithoutRetry(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(batch -> CompletableFuture.failedFuture(
                new CdiException(ErrorCode.AUTHENTICATION_FAILED, "the API key was refused")));

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error()).map(SyncError::code).contains(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(result.error()).map(SyncError::category).contains(ErrorCategory.AUTHENTICATION);
        assertThat(result.watermark()).isEmpty();
        assertThat(sink.calls).as("not retried").isEqualTo(1);
    }

    @Test
    void aRetryableCdiExceptionIsRetriedLikeAnyFailure(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 2);
        AnsweringSink sink = new AnsweringSink(batch -> CompletableFuture.failedFuture(
                new CdiException(ErrorCode.SINK_FAILED, "the service is unavailable")));

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertThat(result.error()).map(SyncError::code).contains(ErrorCode.SINK_FAILED);
        assertThat(sink.calls).isEqualTo(5);
    }

    @Test
    void aWrongNumberOfOutcomesFailsTheRunAtOnce(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(
                batch -> CompletableFuture.completedFuture(List.copyOf(accepted(batch.size() - 2))));

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertContractViolation(result, "the sink answered 3 outcomes for a batch of 5 rows");
        assertThat(sink.calls).as("no retry").isEqualTo(1);
    }

    @Test
    void aNullOutcomeFailsTheRunAtOnce(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(batch -> {
            RowOutcome[] outcomes = accepted(batch.size()).toArray(new RowOutcome[0]);
            outcomes[2] = null;
            return CompletableFuture.completedFuture(Arrays.asList(outcomes));
        });

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertContractViolation(result, "outcome 2 is null");
        assertThat(sink.calls).as("no retry").isEqualTo(1);
    }

    @Test
    void aNullListFailsTheRunAtOnce(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(batch -> CompletableFuture.completedFuture(null));

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertContractViolation(result, "the sink answered null instead of a list of outcomes");
        assertThat(sink.calls).as("no retry").isEqualTo(1);
    }

    @Test
    void aNullStageFailsTheRunAtOnce(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        AnsweringSink sink = new AnsweringSink(batch -> null);

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertContractViolation(result, "the sink returned null instead of a CompletionStage");
        assertThat(sink.calls).as("no retry").isEqualTo(1);
    }

    @Test
    void aSinkThatThrowsIsStillRetried(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        FailingSink sink = new FailingSink().failAllCallsAfter(0);

        RunResult result = engine.run(spec(warehouse, users), sink);

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.SINK_FAILED);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.SINK);
        assertThat(sink.calls()).as("every attempt").isEqualTo(5);
    }

    @Test
    void everyTestkitSinkWorksWhenItsAnswerIsImmutable(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = rows(warehouse, 12);
        SyncSpec spec = spec(warehouse, users);

        RecordingSink recording = new RecordingSink();
        assertSynced(engine.run(spec, immutably(recording)), 12, 0);
        assertThat(recording.rows()).hasSize(12);

        engine.resetWatermark("users", Instant.EPOCH);
        FailingSink failing = new FailingSink().rejectRows(
                row -> ((Identifier.ExternalId) row.identifier()).value().equals("u3"), RowErrorCode.USER_NOT_FOUND);
        assertSynced(engine.run(spec, immutably(failing)), 11, 1);
        engine.resetWatermark("users", Instant.EPOCH);
        assertSynced(engine.run(spec, failing), 11, 1);

        engine.resetWatermark("users", Instant.EPOCH);
        ReferenceProfileStore profiles = new ReferenceProfileStore();
        assertSynced(engine.run(spec, immutably(profiles)), 12, 0);
        engine.resetWatermark("users", Instant.EPOCH);
        assertSynced(engine.run(spec, profiles), 12, 0);
        assertThat(profiles.profiles()).hasSize(12);
    }

    @Test
    void theJsonLinesSinkWorksWhenItsAnswerIsImmutable(FakeWarehouse warehouse, SyncEngine engine) throws Exception {
        FakeTable users = rows(warehouse, 12);
        SyncSpec spec = spec(warehouse, users);
        Path file = directory.resolve("users.jsonl");

        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            assertSynced(engine.run(spec, immutably(sink)), 12, 0);
            engine.resetWatermark("users", Instant.EPOCH);
            assertSynced(engine.run(spec, sink), 12, 0);
        }
        assertThat(Files.readAllLines(file)).hasSize(24);
    }

    private static void assertSynced(RunResult result, long synced, long failed) {
        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(failed == 0 ? RunStatus.SUCCESS : RunStatus.PARTIAL);
        assertThat(result.rowsSynced()).isEqualTo(synced);
        assertThat(result.rowsFailed()).isEqualTo(failed);
    }

    private static void assertContractViolation(RunResult result, String problem) {
        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        SyncError error = result.error().orElseThrow();
        assertThat(error.code()).isEqualTo(ErrorCode.SINK_CONTRACT_VIOLATED);
        assertThat(error.category()).isEqualTo(ErrorCategory.SINK);
        assertThat(error.code().retryable()).isFalse();
        assertThat(error.message()).contains("[users]", problem, "not retried");
        assertThat(result.rowsSynced()).isZero();
        assertThat(result.watermark()).as("the watermark stays before the batch").isEmpty();
    }
}
