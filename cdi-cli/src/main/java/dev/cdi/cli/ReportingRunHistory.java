package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Identifier;
import dev.cdi.api.RunResult;
import dev.cdi.core.history.RecordedRowError;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link RunHistory} that passes every call on and, once a run's end is recorded, tells a listener: the
 * scheduler runs integrations on its own threads and returns nothing, so this is where {@code cdi run} learns that
 * a run ended.
 *
 * <p>Thread-safe when the history and the listener are.
 */
final class ReportingRunHistory implements RunHistory {
    private final RunHistory history;
    private final Consumer<RunResult> listener;

    /**
     * Wraps a history.
     *
     * @param history where runs are recorded
     * @param listener told of each ended run, after it is recorded
     */
    ReportingRunHistory(RunHistory history, Consumer<RunResult> listener) {
        this.history = requireNonNull(history, "history is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    @Override
    public void recordStart(String runId, String integration, Instant startedAt) {
        history.recordStart(runId, integration, startedAt);
    }

    @Override
    public void recordEnd(RunResult run) {
        history.recordEnd(run);
        listener.accept(run);
    }

    @Override
    public List<RunSummary> endAbandonedRuns(String integration, Instant at) {
        return history.endAbandonedRuns(integration, at);
    }

    @Override
    public Set<String> integrationsWithRunningRuns() {
        return history.integrationsWithRunningRuns();
    }

    @Override
    public Optional<RunSummary> run(String runId) {
        return history.run(runId);
    }

    @Override
    public List<RunSummary> runs(String integration, int limit) {
        return history.runs(integration, limit);
    }

    @Override
    public List<RecordedRowError> rowErrors(String runId, int offset, int limit) {
        return history.rowErrors(runId, offset, limit);
    }

    @Override
    public List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit) {
        return history.rowErrors(integration, identifier, limit);
    }

    @Override
    public void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now) {
        history.prune(rowDetailRetention, summaryRetention, now);
    }
}
