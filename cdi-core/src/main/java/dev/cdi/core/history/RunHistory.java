package dev.cdi.core.history;

import dev.cdi.api.Identifier;
import dev.cdi.api.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The record of past and running runs and of their row errors (SPEC §8).
 *
 * <p>A run is recorded twice: {@link #recordStart} when it begins, so that it shows as
 * {@link dev.cdi.api.RunStatus#RUNNING}, and {@link #recordEnd} when it ends. Row-level detail is kept for
 * {@link #DEFAULT_ROW_DETAIL_RETENTION} and summaries for {@link #DEFAULT_SUMMARY_RETENTION} unless the
 * application prunes with other durations.
 *
 * <p>Implementations are thread-safe; every method may be called any number of times from any thread.
 * Failures of the underlying storage throw {@link dev.cdi.api.CdiException} with
 * {@link dev.cdi.api.ErrorCode#STATE_STORE_FAILED}.
 */
public interface RunHistory {

    /** How long row errors are kept by default: 30 days. */
    Duration DEFAULT_ROW_DETAIL_RETENTION = Duration.ofDays(30);

    /** How long run summaries are kept by default: 365 days. */
    Duration DEFAULT_SUMMARY_RETENTION = Duration.ofDays(365);

    /**
     * Records that a run has started.
     *
     * @param runId the run's unique id, not blank
     * @param integration the integration's name, not blank
     * @param startedAt when it started
     * @throws IllegalArgumentException when a run with this id was recorded before
     */
    void recordStart(String runId, String integration, Instant startedAt);

    /**
     * Records how a run ended, with its row errors, replacing what {@link #recordStart} recorded (or recording
     * the run afresh when its start was not recorded). Recording the same end twice changes nothing.
     *
     * @param run the run's result; its status is not {@link dev.cdi.api.RunStatus#RUNNING}
     */
    void recordEnd(RunResult run);

    /**
     * Ends, as {@link dev.cdi.api.RunStatus#ERROR} with {@link dev.cdi.api.ErrorCode#RUN_ABANDONED}, every run of an
     * integration still recorded as running: runs whose process stopped before recording their end (see
     * {@link RunSummary#abandoned}). Call it only while holding the integration's lease, which proves that no run
     * of it is alive; a run that does end later still records its real end over this one.
     *
     * @param integration the integration's name
     * @param at when the runs were found abandoned
     * @return the runs ended, as now recorded; empty when none was running
     */
    List<RunSummary> endAbandonedRuns(String integration, Instant at);

    /**
     * The integrations that have a run recorded as running, so that a pruning pass can find abandoned runs of
     * integrations that no longer run.
     *
     * @return the integrations' names
     */
    Set<String> integrationsWithRunningRuns();

    /**
     * Looks a run up.
     *
     * @param runId the run's id
     * @return its summary, or empty when unknown or pruned
     */
    Optional<RunSummary> run(String runId);

    /**
     * Lists an integration's runs, newest start first.
     *
     * @param integration the integration's name
     * @param limit the most runs to return, positive
     * @return the summaries, possibly empty
     */
    List<RunSummary> runs(String integration, int limit);

    /**
     * Lists a page of a run's row errors, in the order the run reported them.
     *
     * @param runId the run's id
     * @param offset how many errors to skip, not negative
     * @param limit the most errors to return, positive
     * @return the errors, empty when the run is unknown, had none, or its detail was pruned
     */
    List<RecordedRowError> rowErrors(String runId, int offset, int limit);

    /**
     * Finds the row errors of an integration's runs that concern one identifier (same type and value), newest
     * run first and in reported order within a run.
     *
     * @param integration the integration's name
     * @param identifier the identifier
     * @param limit the most errors to return, positive
     * @return the errors, possibly empty
     */
    List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit);

    /**
     * Deletes the row errors of runs started more than {@code rowDetailRetention} before {@code now}, and the
     * runs (with any detail left) started more than {@code summaryRetention} before it.
     *
     * @param rowDetailRetention how long row errors are kept, not negative
     * @param summaryRetention how long summaries are kept, not shorter than {@code rowDetailRetention}
     * @param now the current time
     */
    void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now);

    /**
     * Prunes with the default retentions.
     *
     * @param now the current time
     */
    default void prune(Instant now) {
        prune(DEFAULT_ROW_DETAIL_RETENTION, DEFAULT_SUMMARY_RETENTION, now);
    }
}
