package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 4 step 5 and section 7: checkpoints, retries and resuming after a failure. */
@ExtendWith(FakeWarehouseExtension.class)
class CheckpointRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static FakeTable hundredRows(FakeWarehouse warehouse) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 100; i++) {
            users.row().updatedAt(T0.plusSeconds(i)).externalId("u" + i).payload("{}").insert();
        }
        return users;
    }

    private static SyncOptions.Builder smallSteps() {
        return SyncOptions.builder().batchSize(10).checkpointEvery(10).sinkAttempts(2).sinkRetryBackoff(Duration.ZERO);
    }

    private static List<String> ids(List<ResolvedRow> rows) {
        return rows.stream().map(row -> ((Identifier.ExternalId) row.identifier()).value()).toList();
    }

    /** Stores every batch it is given, then loses the acknowledgement (throws) from a chosen call on. */
    private static final class AcknowledgementLosingSink implements RowSink {
        final List<ResolvedRow> received = new ArrayList<>();
        final int failFromCall;
        int calls;

        AcknowledgementLosingSink(int failFromCall) {
            this.failFromCall = failFromCall;
        }

        @Override
        public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
            calls++;
            received.addAll(batch);
            if (calls >= failFromCall) {
                return CompletableFuture.failedFuture(new IllegalStateException("acknowledgement lost"));
            }
            return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
        }
    }

    @Test
    void aSinkThatKeepsFailingEndsTheRunAndTheNextRunResumesFromTheLastCheckpoint(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = hundredRows(warehouse);
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).options(smallSteps().build()).build();
        AcknowledgementLosingSink broken = new AcknowledgementLosingSink(6);

        RunResult failed = engine.run(spec, broken);
        assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(failed.error().orElseThrow().code()).isEqualTo(ErrorCode.SINK_FAILED);
        assertThat(failed.error().orElseThrow().category()).isEqualTo(ErrorCategory.SINK);
        assertThat(failed.watermark()).contains(new Watermark(T0.plusSeconds(49), 1));

        RecordingSink healthy = new RecordingSink();
        RunResult resumed = engine.run(spec, healthy);
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCESS);

        List<String> everything = new ArrayList<>(ids(broken.received));
        everything.addAll(ids(healthy.rows()));
        Set<String> unique = new HashSet<>(everything);
        assertThat(unique).as("no row lost").hasSize(100);
        List<String> duplicates = new ArrayList<>(everything);
        unique.forEach(duplicates::remove);
        assertThat(new HashSet<>(duplicates)).as("duplicates only from the unacknowledged batch")
                .containsExactlyInAnyOrder("u50", "u51", "u52", "u53", "u54", "u55", "u56", "u57", "u58", "u59");
        assertThat(ids(healthy.rows()).get(0)).isEqualTo("u50");
    }

    @Test
    void aFailedBatchIsRetriedAndTheRunSucceeds(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = hundredRows(warehouse);
        FailingSink sink = new FailingSink().failCalls(3);
        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(smallSteps().sinkAttempts(3).build()).build(), sink);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsSynced()).isEqualTo(100);
        assertThat(sink.calls()).isEqualTo(11);
        assertThat(ids(((RecordingSink) sink.delegate()).rows())).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void checkpointsFallOnlyAtTheEndOfAGroupOfEqualUpdatedAt(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 3; i++) {
            users.row().updatedAt(T0).externalId("a" + i).payload("{}").insert();
            users.row().updatedAt(T0.plusSeconds(1)).externalId("b" + i).payload("{}").insert();
        }
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().batchSize(1).checkpointEvery(1).sinkAttempts(1).build()).build();
        FailingSink sink = new FailingSink().failAllCallsAfter(4);

        RunResult failed = engine.run(spec, sink);
        assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(failed.watermark()).as("never half a group").contains(new Watermark(T0, 3));

        RecordingSink healthy = new RecordingSink();
        engine.run(spec, healthy);
        assertThat(ids(healthy.rows())).containsExactlyInAnyOrder("b0", "b1", "b2");
    }

    @Test
    void aConnectionThatBreaksMidReadLosesNoRow(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = hundredRows(warehouse);
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).options(smallSteps().build()).build();
        RecordingSink sink = new RecordingSink();
        warehouse.faults().failConnectionAfterRows(35);

        RunResult failed = engine.run(spec, sink);
        assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(failed.error().orElseThrow().code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(failed.error().orElseThrow().code().retryable()).isTrue();
        assertThat(failed.watermark()).contains(new Watermark(T0.plusSeconds(29), 1));

        warehouse.faults().clear();
        assertThat(engine.run(spec, sink).status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(new HashSet<>(ids(sink.rows()))).hasSize(100);
        assertThat(sink.rows()).hasSizeLessThanOrEqualTo(100 + 10);
    }

    @Test
    void rowsTheSinkRejectsAreRowErrorsAndTheWatermarkMovesPastThem(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = hundredRows(warehouse);
        FailingSink sink = new FailingSink().rejectRows(row -> ((Identifier.ExternalId) row.identifier()).value().endsWith("7"),
                dev.cdi.api.RowErrorCode.USER_NOT_FOUND);
        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);
        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowsFailed()).isEqualTo(10);
        assertThat(result.rowsSynced()).isEqualTo(90);
        assertThat(result.rowErrors()).hasSize(10).allSatisfy(error -> {
            assertThat(error.code()).isEqualTo(dev.cdi.api.RowErrorCode.USER_NOT_FOUND);
            assertThat(error.identifier()).isPresent();
        });
        assertThat(result.watermark()).contains(new Watermark(T0.plusSeconds(99), 1));
    }
}
