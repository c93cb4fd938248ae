package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 4: which rows a run reads. */
@ExtendWith(FakeWarehouseExtension.class)
class WatermarkRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static List<String> externalIds(List<ResolvedRow> rows) {
        return rows.stream().map(row -> ((dev.cdi.api.Identifier.ExternalId) row.identifier()).value()).toList();
    }

    private static SyncSpec spec(FakeWarehouse warehouse, FakeTable table, SyncOptions options) {
        return warehouse.spec("users", table, DataType.ATTRIBUTES).options(options).build();
    }

    private static void insert(FakeTable table, Instant at, String externalId) {
        table.row().updatedAt(at).externalId(externalId).payload("{\"n\":\"" + externalId + "\"}").insert();
    }

    @Test
    void firstRunReadsEveryRowAndASecondRunReadsNothing(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 5; i++) {
            insert(users, T0.plusSeconds(i), "u" + i);
        }
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());

        RunResult first = engine.run(spec, sink);
        assertThat(first.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(first.rowsRead()).isEqualTo(5);
        assertThat(first.watermark()).contains(new Watermark(T0.plusSeconds(4), 1));

        RunResult second = engine.run(spec, sink);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(second.rowsRead()).isZero();
        assertThat(sink.rows()).hasSize(5);
    }

    @Test
    void newRowsAtTheWatermarksExactValueAreDeliveredAndTheOldOnesAreNotSentAgain(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        Instant w = T0.plusSeconds(60);
        insert(users, T0, "early");
        insert(users, w, "a");
        insert(users, w, "b");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());
        engine.run(spec, sink);
        assertThat(engine.watermark("users")).contains(new Watermark(w, 2));

        insert(users, w, "c");
        insert(users, w, "d");
        sink.clear();
        RunResult second = engine.run(spec, sink);

        assertThat(externalIds(sink.rows())).containsExactlyInAnyOrder("c", "d");
        assertThat(second.rowsRead()).isEqualTo(2);
        assertThat(engine.watermark("users")).contains(new Watermark(w, 4));
    }

    @Test
    void aRowChangedInPlaceWithoutANewUpdatedAtIsDeliveredAgain(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        insert(users, T0, "a");
        insert(users, T0, "b");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());
        engine.run(spec, sink);

        warehouse.execute("UPDATE main.users SET PAYLOAD = '{\"n\":\"changed\"}' WHERE EXTERNAL_ID = 'b'");
        sink.clear();
        engine.run(spec, sink);

        assertThat(sink.rows()).singleElement().satisfies(row -> {
            assertThat(externalIds(List.of(row))).containsExactly("b");
            assertThat(row.payloadJson()).contains("{\"n\":\"changed\"}");
        });
    }

    @Test
    void aFutureRowIsDeferredThenReadOnceItsTimeHasPassed(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.freezeTimeAt(T0.plusSeconds(100));
        insert(users, T0, "now");
        insert(users, T0.plus(Duration.ofDays(365)), "future");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());

        RunResult first = engine.run(spec, sink);
        assertThat(first.rowsDeferred()).isEqualTo(1);
        assertThat(externalIds(sink.rows())).containsExactly("now");
        assertThat(first.watermark()).contains(new Watermark(T0, 1));

        // A row that arrives later with an older stamp is still read: the future row did not push the watermark.
        insert(users, T0.plusSeconds(50), "late");
        RunResult second = engine.run(spec, sink);
        assertThat(second.rowsDeferred()).isEqualTo(1);
        assertThat(externalIds(sink.rows())).containsExactly("now", "late");

        warehouse.advanceTime(Duration.ofDays(366));
        RunResult third = engine.run(spec, sink);
        assertThat(third.rowsDeferred()).isZero();
        assertThat(externalIds(sink.rows())).containsExactly("now", "late", "future");
        assertThat(engine.run(spec, sink).rowsRead()).isZero();
    }

    @Test
    void theSettleLagDefersRowsNewerThanTheWarehouseTimeMinusTheLag(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.freezeTimeAt(T0);
        insert(users, T0.minusSeconds(600), "settled");
        insert(users, T0.minusSeconds(60), "recent");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.builder().settleLag(Duration.ofMinutes(5)).build());

        RunResult first = engine.run(spec, sink);
        assertThat(first.rowsDeferred()).isEqualTo(1);
        assertThat(externalIds(sink.rows())).containsExactly("settled");

        warehouse.advanceTime(Duration.ofMinutes(5));
        engine.run(spec, sink);
        assertThat(externalIds(sink.rows())).containsExactly("settled", "recent");
    }

    @Test
    void lookbackPicksUpALateCommittedRowWithoutResendingOlderRows(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 10; i++) {
            insert(users, T0.plusSeconds(i * 60L), "u" + i);
        }
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.builder().lookback(Duration.ofMinutes(30)).build());
        engine.run(spec, sink);
        assertThat(sink.rows()).hasSize(10);

        // Committed after the first run but stamped before its watermark, inside the look-back window.
        insert(users, T0.plusSeconds(5 * 60L + 1), "late");
        sink.clear();
        RunResult second = engine.run(spec, sink);

        assertThat(externalIds(sink.rows())).containsExactly("late");
        assertThat(second.rowsRead()).isEqualTo(1);
        assertThat(engine.run(spec, sink).rowsRead()).isZero();
    }

    @Test
    void withoutLookbackARowStampedBelowTheWatermarkIsNotRead(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        insert(users, T0.plusSeconds(60), "a");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());
        engine.run(spec, sink);
        insert(users, T0, "too-late");
        sink.clear();
        assertThat(engine.run(spec, sink).rowsRead()).isZero();
        assertThat(sink.rows()).isEmpty();
    }

    @Test
    void theCountRuleIsTheFallbackWhenTheFingerprintSetIsFull(FakeWarehouse warehouse, SyncEngine engine,
            InMemoryStateStore stateStore) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        Instant w = T0.plusSeconds(60);
        insert(users, T0, "early");
        insert(users, w, "a");
        insert(users, w, "b");
        insert(users, w, "c");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.builder().fingerprintLimit(2).build());
        engine.run(spec, sink);
        assertThat(stateStore.load("users").orElseThrow().fingerprintsComplete()).isFalse();
        assertThat(engine.watermark("users")).contains(new Watermark(w, 3));

        sink.clear();
        RunResult unchanged = engine.run(spec, sink);
        assertThat(unchanged.rowsRead()).as("same count at W: read only above W").isZero();

        insert(users, w, "d");
        RunResult changed = engine.run(spec, sink);
        assertThat(externalIds(sink.rows())).as("count changed: the whole group at W again, at-least-once")
                .containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(changed.watermark()).contains(new Watermark(w, 4));
    }

    @Test
    void rowsReachTheSinkInUpdatedAtOrder(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        for (int i : order) {
            insert(users, T0.plusMillis(i * 7L).plusNanos(i * 1000L), "u" + i);
        }
        RecordingSink sink = new RecordingSink();
        engine.run(spec(warehouse, users, SyncOptions.builder().batchSize(16).build()), sink);
        List<Instant> stamps = sink.rows().stream().map(ResolvedRow::updatedAt).toList();
        assertThat(stamps).hasSize(300).isSorted();
    }

    @Test
    void rowsWithANullUpdatedAtAreReportedOnEveryRunFirstHundredInDetail(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        insert(users, T0, "ok");
        for (int i = 0; i < 150; i++) {
            users.row().externalId("null-" + i).payload("{}").insert();
        }
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());
        for (int run = 0; run < 2; run++) {
            RunResult result = engine.run(spec, sink);
            assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
            assertThat(result.rowsFailed()).isEqualTo(150);
            List<RowError> nulls = result.rowErrors().stream().filter(e -> e.code() == RowErrorCode.NULL_UPDATED_AT).toList();
            assertThat(nulls).hasSize(100).allSatisfy(error -> {
                assertThat(error.identifier()).isPresent();
                assertThat(error.updatedAt()).isEmpty();
            });
        }
        assertThat(externalIds(sink.rows())).containsExactly("ok");
    }

    @Test
    void anExplicitResetMovesTheWatermarkBack(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 4; i++) {
            insert(users, T0.plusSeconds(i), "u" + i);
        }
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = spec(warehouse, users, SyncOptions.defaults());
        engine.run(spec, sink);

        engine.resetWatermark("users", T0.plusSeconds(2));
        sink.clear();
        engine.run(spec, sink);
        assertThat(externalIds(sink.rows())).containsExactly("u2", "u3");

        engine.resetWatermark("users");
        sink.clear();
        engine.run(spec, sink);
        assertThat(externalIds(sink.rows())).containsExactly("u0", "u1", "u2", "u3");
    }

    @Test
    void theRowLimitStopsTheRunWithoutMovingTheWatermark(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        insert(users, T0, "a");
        RecordingSink sink = new RecordingSink();
        engine.run(spec(warehouse, users, SyncOptions.defaults()), sink);
        for (int i = 0; i < 3; i++) {
            insert(users, T0.plusSeconds(10 + i), "n" + i);
        }
        sink.clear();
        RunResult limited = engine.run(spec(warehouse, users, SyncOptions.builder().rowLimit(2).build()), sink);
        assertThat(limited.status()).isEqualTo(RunStatus.LIMIT_EXCEEDED);
        assertThat(limited.error().orElseThrow().message()).contains("row limit of 2");
        assertThat(sink.rows()).isEmpty();
        assertThat(engine.watermark("users")).contains(new Watermark(T0, 1));

        RunResult enough = engine.run(spec(warehouse, users, SyncOptions.builder().rowLimit(3).build()), sink);
        assertThat(enough.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(externalIds(sink.rows())).containsExactly("n0", "n1", "n2");
    }
}
