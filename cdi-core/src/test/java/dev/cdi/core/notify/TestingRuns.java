package dev.cdi.core.notify;

import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds {@link RunResult}s for notification tests. */
final class TestingRuns {
    static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant FINISHED = Instant.parse("2026-03-01T10:00:05Z");

    private TestingRuns() {
    }

    static RunResult completed(RunStatus status, long read, long synced, long failed, List<RowError> rowErrors) {
        return new RunResult("run-1", "orders", status, STARTED, FINISHED, read, synced, failed, 0,
                Optional.of(STARTED.minusSeconds(3600)), Optional.of(STARTED.minusSeconds(60)), Optional.empty(),
                rowErrors, Optional.empty());
    }

    static RunResult failed(RunStatus status, SyncError error) {
        return new RunResult("run-1", "orders", status, STARTED, FINISHED, 0, 0, 0, 0, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.of(error));
    }
}
