package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of one run of one integration.
 *
 * <p>{@code rowsRead} counts the rows the run considered new (rows skipped as already delivered are not
 * counted) plus the rows with a NULL {@code UPDATED_AT}; every read row is either synced or failed, so
 * {@code rowsRead == rowsSynced + rowsFailed} for a completed run. {@code rowErrors} keeps the first errors in
 * detail ({@link SyncOptions#rowErrorsKept()}); {@code rowsFailed} counts all. Immutable and thread-safe.
 *
 * @param runId a unique id
 * @param integration the integration's name
 * @param status how the run ended
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param rowsRead rows read as new
 * @param rowsSynced rows the sink accepted
 * @param rowsFailed rows with a row error (from validation or from the sink)
 * @param rowsDeferred rows newer than the run's upper bound, left for a later run
 * @param firstUpdatedAt the first {@code UPDATED_AT} processed, if any
 * @param lastUpdatedAt the last {@code UPDATED_AT} processed, if any
 * @param watermark the watermark after the run (unchanged when nothing was checkpointed), if any
 * @param rowErrors the first row errors in detail
 * @param error the sync-level error, for {@link RunStatus#ERROR}, {@link RunStatus#CONFIG_ERROR} and
 *        {@link RunStatus#LIMIT_EXCEEDED}
 */
public record RunResult(
        String runId,
        String integration,
        RunStatus status,
        Instant startedAt,
        Instant finishedAt,
        long rowsRead,
        long rowsSynced,
        long rowsFailed,
        long rowsDeferred,
        Optional<Instant> firstUpdatedAt,
        Optional<Instant> lastUpdatedAt,
        Optional<Watermark> watermark,
        List<RowError> rowErrors,
        Optional<SyncError> error) {

    /** Validates every part and copies the error list. */
    public RunResult {
        requireNonNull(runId, "runId is null");
        requireNonNull(integration, "integration is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(firstUpdatedAt, "firstUpdatedAt is null");
        requireNonNull(lastUpdatedAt, "lastUpdatedAt is null");
        requireNonNull(watermark, "watermark is null");
        rowErrors = List.copyOf(requireNonNull(rowErrors, "rowErrors is null"));
        requireNonNull(error, "error is null");
        if (rowsRead < 0 || rowsSynced < 0 || rowsFailed < 0 || rowsDeferred < 0) {
            throw new IllegalArgumentException("row counts must not be negative");
        }
    }

    /**
     * How long the run took.
     *
     * @return the time from start to finish
     */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
