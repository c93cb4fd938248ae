package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.RunProgress;
import dev.cdi.core.SyncEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run tells its progress: the rows counted before reading, then the rows read, ending at its result's count. */
@ExtendWith(FakeWarehouseExtension.class)
class RunProgressTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Records what a run told it. */
    private static final class RecordingProgress implements RunProgress {
        final List<Long> counted = new ArrayList<>();
        final List<Long> read = new ArrayList<>();

        @Override
        public void counted(long rowsToRead) {
            counted.add(rowsToRead);
        }

        @Override
        public void read(long rowsRead) {
            read.add(rowsRead);
        }
    }

    @Test
    void aRunTellsTheCountBeforeReadingAndTheRowsReadAsItGoes(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 600; i++) {
            users.row().updatedAt(T0.plusSeconds(i)).externalId("u" + i).payload("{}").insert();
        }
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build();

        RecordingProgress first = new RecordingProgress();
        RunResult result = engine.run("run-1", spec, new RecordingSink(), first);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(first.counted).containsExactly(600L);
        assertThat(first.read).containsExactly(256L, 512L, 600L);
        assertThat(result.rowsRead()).isEqualTo(600);

        RecordingProgress second = new RecordingProgress();
        RunResult again = engine.run("run-2", spec, new RecordingSink(), second);
        assertThat(again.rowsRead()).isZero();
        assertThat(second.counted).containsExactly(0L);
        assertThat(second.read).containsExactly(0L);
    }

    @Test
    void theRunsWithoutProgressBehaveAsBefore(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), new RecordingSink());
        assertThat(result.rowsRead()).isEqualTo(1);
    }
}
