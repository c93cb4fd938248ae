package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import java.util.ArrayList;

/**
 * A {@link RunHistory} in memory: for tests and single-process use. Lost when the process ends.
 *
 * <p>Thread-safe; every method holds one lock, and listing is linear in the number of runs kept.
 */
public final class InMemoryRunHistory implements RunHistory {
    /** Newest start first; the run id breaks ties so the order is total. */
    private static final Comparator<RunSummary> NEWEST_FIRST = Comparator.comparing(RunSummary::startedAt)
            .thenComparing(RunSummary::runId).reversed();

    private final Map<String, RunSummary> runs = new HashMap<>();
    private final Map<String, List<RowError>> rowErrors = new HashMap<>();

    /** Creates an empty history. */
    public InMemoryRunHistory() {
    }

    @Override
    public synchronized void recordStart(String runId, String integration, Instant startedAt) {
        RunSummary running = RunSummary.running(runId, integration, startedAt);
        if (runs.containsKey(runId)) {
            throw new IllegalArgumentException("run " + runId + " was recorded before");
        }
        runs.put(runId, running);
    }

    @Override
    public synchronized void recordEnd(RunResult run) {
        requireNonNull(run, "run is null");
        if (run.status() == RunStatus.RUNNING) {
            throw new IllegalArgumentException("run " + run.runId() + " has not ended: its status is RUNNING");
        }
        runs.put(run.runId(), RunSummary.of(run));
        rowErrors.put(run.runId(), run.rowErrors());
    }

    @Override
    public synchronized List<RunSummary> endAbandonedRuns(String integration, Instant at) {
        requireNonNull(integration, "integration is null");
        requireNonNull(at, "at is null");
        List<RunSummary> ended = new ArrayList<>();
        for (RunSummary run : List.copyOf(runs.values())) {
            if (run.integration().equals(integration) && run.status() == RunStatus.RUNNING) {
                RunSummary abandoned = run.abandoned(at);
                runs.put(run.runId(), abandoned);
                ended.add(abandoned);
            }
        }
        return List.copyOf(ended);
    }

    @Override
    public synchronized Set<String> integrationsWithRunningRuns() {
        Set<String> integrations = new TreeSet<>();
        runs.values().stream().filter(run -> run.status() == RunStatus.RUNNING)
                .forEach(run -> integrations.add(run.integration()));
        return Set.copyOf(integrations);
    }

    @Override
    public synchronized Optional<RunSummary> run(String runId) {
        return Optional.ofNullable(runs.get(requireNonNull(runId, "runId is null")));
    }

    @Override
    public synchronized List<RunSummary> runs(String integration, int limit) {
        requireNonNull(integration, "integration is null");
        RunHistoryChecks.requirePositiveLimit(limit);
        return runs.values().stream()
                .filter(run -> run.integration().equals(integration))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RecordedRowError> rowErrors(String runId, int offset, int limit) {
        return RunHistoryChecks.page(runId, rowErrors.getOrDefault(requireNonNull(runId, "runId is null"), List.of()), offset, limit);
    }

    @Override
    public synchronized List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit) {
        requireNonNull(integration, "integration is null");
        return RunHistoryChecks.byIdentifier(runs(integration, Integer.MAX_VALUE),
                runId -> rowErrors.getOrDefault(runId, List.of()), identifier, limit);
    }

    @Override
    public synchronized void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now) {
        RunHistoryChecks.requireRetentions(rowDetailRetention, summaryRetention);
        requireNonNull(now, "now is null");
        Instant detailCutoff = now.minus(rowDetailRetention);
        Instant summaryCutoff = now.minus(summaryRetention);
        runs.values().removeIf(run -> run.startedAt().isBefore(summaryCutoff));
        rowErrors.entrySet().removeIf(entry -> {
            RunSummary run = runs.get(entry.getKey());
            return run == null || run.startedAt().isBefore(detailCutoff);
        });
    }

}
