package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.Watermark;
import java.time.Instant;
import java.util.Optional;

/**
 * One run as the history keeps it: the fields of a {@link RunResult} without the row errors (listed apart, and
 * pruned sooner), and with no finish time while the run is {@link RunStatus#RUNNING}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param runId the run's unique id, not blank
 * @param integration the integration's name, not blank
 * @param status how the run ended, or {@link RunStatus#RUNNING}
 * @param startedAt when it started
 * @param finishedAt when it ended; empty exactly when the status is {@link RunStatus#RUNNING}
 * @param rowsRead rows read as new
 * @param rowsSynced rows the sink accepted
 * @param rowsFailed rows with a row error
 * @param rowsDeferred rows left for a later run
 * @param firstUpdatedAt the first {@code UPDATED_AT} processed, if any
 * @param lastUpdatedAt the last {@code UPDATED_AT} processed, if any
 * @param watermark the watermark after the run, if any
 * @param error the sync-level error, if any
 */
public record RunSummary(
        String runId,
        String integration,
        RunStatus status,
        Instant startedAt,
        Optional<Instant> finishedAt,
        long rowsRead,
        long rowsSynced,
        long rowsFailed,
        long rowsDeferred,
        Optional<Instant> firstUpdatedAt,
        Optional<Instant> lastUpdatedAt,
        Optional<Watermark> watermark,
        Optional<SyncError> error) {

    /** Validates every part. */
    public RunSummary {
        requireNotBlank(runId, "runId");
        requireNotBlank(integration, "integration");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(firstUpdatedAt, "firstUpdatedAt is null");
        requireNonNull(lastUpdatedAt, "lastUpdatedAt is null");
        requireNonNull(watermark, "watermark is null");
        requireNonNull(error, "error is null");
        if (rowsRead < 0 || rowsSynced < 0 || rowsFailed < 0 || rowsDeferred < 0) {
            throw new IllegalArgumentException("row counts must not be negative");
        }
        if ((status == RunStatus.RUNNING) != finishedAt.isEmpty()) {
            throw new IllegalArgumentException("a run has a finish time exactly when it is not RUNNING; status "
                    + status + ", finishedAt " + finishedAt.map(Instant::toString).orElse("none"));
        }
    }

    /**
     * The summary of a run that has just started.
     *
     * @param runId the run's unique id
     * @param integration the integration's name
     * @param startedAt when it started
     * @return a {@link RunStatus#RUNNING} summary with zero counts
     */
    public static RunSummary running(String runId, String integration, Instant startedAt) {
        return new RunSummary(runId, integration, RunStatus.RUNNING, startedAt, Optional.empty(), 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The summary of a finished run.
     *
     * @param run the run's result
     * @return its summary
     * @throws IllegalArgumentException when the result's status is {@link RunStatus#RUNNING}
     */
    public static RunSummary of(RunResult run) {
        requireNonNull(run, "run is null");
        return new RunSummary(run.runId(), run.integration(), run.status(), run.startedAt(),
                Optional.of(run.finishedAt()), run.rowsRead(), run.rowsSynced(), run.rowsFailed(), run.rowsDeferred(),
                run.firstUpdatedAt(), run.lastUpdatedAt(), run.watermark(), run.error());
    }

    /**
     * This running run, ended as abandoned: its process stopped before the run ended.
     *
     * @param at when it was found abandoned, not before its start
     * @return an {@link RunStatus#ERROR} summary with {@link ErrorCode#RUN_ABANDONED}, finished at {@code at}, with
     *         the counts recorded so far
     * @throws IllegalStateException when this run is not {@link RunStatus#RUNNING}
     */
    public RunSummary abandoned(Instant at) {
        requireNonNull(at, "at is null");
        if (status != RunStatus.RUNNING) {
            throw new IllegalStateException("run " + runId + " has ended already: " + status);
        }
        Instant finished = at.isBefore(startedAt) ? startedAt : at;
        return new RunSummary(runId, integration, RunStatus.ERROR, startedAt, Optional.of(finished), rowsRead,
                rowsSynced, rowsFailed, rowsDeferred, firstUpdatedAt, lastUpdatedAt, watermark,
                Optional.of(new SyncError(ErrorCode.RUN_ABANDONED, "[" + integration + "] The process running it"
                        + " stopped before the run ended (its lease expired); marked at " + finished
                        + ". The next run resumes from the last checkpoint")));
    }

    private static void requireNotBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
