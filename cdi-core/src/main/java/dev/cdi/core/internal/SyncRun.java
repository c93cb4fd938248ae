package dev.cdi.core.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowError;
import dev.cdi.api.RowSink;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.api.Watermark;
import dev.cdi.core.RunListener;
import dev.cdi.core.RunProgress;
import dev.cdi.core.state.Fingerprint;
import dev.cdi.core.state.StateStore;
import dev.cdi.core.state.SyncState;
import dev.cdi.core.validation.RowValidator;
import dev.cdi.core.validation.RowVerdict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one integration: SPEC section 4 step by step. Reads the rows above the watermark (minus the
 * look-back) and up to the warehouse's time minus the settle lag, in {@code UPDATED_AT} order; skips those
 * delivered before; validates and resolves the rest; hands them to the sink in batches; and checkpoints only
 * after acknowledgement and only at the end of a group of equal {@code UPDATED_AT} values.
 *
 * <p>Not thread-safe: used once, by one thread.
 */
public final class SyncRun {
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    private static final int UNSYNCABLE_DETAIL = 100;
    /**
     * A batch is sent when it holds batchSize rows or about this many bytes (two per payload character), so that a
     * batch of 1 MB rows cannot fill a small heap: a sixteenth of the heap, between 1 and 32 MB. One batch is in
     * flight while the next fills, next to the read-ahead's own budget.
     */
    private static final long BATCH_BYTES = Math.max(1L << 20, Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 16));
    private static final long ROW_OVERHEAD_BYTES = 128;
    /** How often, in rows read, a run tells its progress: rarely enough that it costs nothing per row. */
    private static final long PROGRESS_EVERY_MASK = 255;
    private static final RowFilter BELOW_RANGE = new RowFilter.Range(Optional.empty(), false,
            Optional.of(Watermark.MIN_UPDATED_AT), false);

    private final SyncSpec spec;
    private final SyncOptions options;
    private final SourceConnector connector;
    private final RowSink sink;
    private final StateStore stateStore;
    private final Clock clock;
    private final String runId;
    private final RunTally tally;
    private final Fingerprinter fingerprinter = new Fingerprinter();
    private final FingerprintWindow window;
    private final BooleanSupplier stopRequested;
    private final RunProgress progress;
    private final RunListener listener;
    private final RunListener.Run run;

    /**
     * Prepares a run.
     *
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param sink where resolved rows go
     * @param stateStore where the watermark lives
     * @param clock the clock for the run's start and end times
     */
    public SyncRun(SyncSpec spec, SourceConnector connector, RowSink sink, StateStore stateStore, Clock clock) {
        this(UUID.randomUUID().toString(), spec, connector, sink, stateStore, clock, () -> false);
    }

    /**
     * Prepares a run with a given id, so that a caller can record the run before it starts.
     *
     * @param runId the run's id, unique
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param sink where resolved rows go
     * @param stateStore where the watermark lives
     * @param clock the clock for the run's start and end times
     * @param stopRequested asked between groups of rows: true stops the run there, checkpointed
     */
    public SyncRun(String runId, SyncSpec spec, SourceConnector connector, RowSink sink, StateStore stateStore,
            Clock clock, BooleanSupplier stopRequested) {
        this(runId, spec, connector, sink, stateStore, clock, stopRequested, RunListener.NONE, RunProgress.NONE);
    }

    /**
     * Prepares a run with a given id whose progress a caller follows.
     *
     * @param runId the run's id, unique
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param sink where resolved rows go
     * @param stateStore where the watermark lives
     * @param clock the clock for the run's start and end times
     * @param stopRequested asked between groups of rows: true stops the run there, checkpointed
     * @param progress told the rows counted before reading and the rows read as the run goes
     */
    public SyncRun(String runId, SyncSpec spec, SourceConnector connector, RowSink sink, StateStore stateStore,
            Clock clock, BooleanSupplier stopRequested, RunProgress progress) {
        this(runId, spec, connector, sink, stateStore, clock, stopRequested, RunListener.NONE, progress);
    }

    /**
     * Prepares a run with a given id, heard by a listener.
     *
     * @param runId the run's id, unique
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param sink where resolved rows go
     * @param stateStore where the watermark lives
     * @param clock the clock for the run's start and end times
     * @param stopRequested asked between groups of rows: true stops the run there, checkpointed
     * @param listener hears the run's events; it must not throw (see {@link SafeRunListener})
     */
    public SyncRun(String runId, SyncSpec spec, SourceConnector connector, RowSink sink, StateStore stateStore,
            Clock clock, BooleanSupplier stopRequested, RunListener listener) {
        this(runId, spec, connector, sink, stateStore, clock, stopRequested, listener, RunProgress.NONE);
    }

    /**
     * Prepares a run with a given id, heard by a listener, whose progress a caller follows.
     *
     * @param runId the run's id, unique
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param sink where resolved rows go
     * @param stateStore where the watermark lives
     * @param clock the clock for the run's start and end times
     * @param stopRequested asked between groups of rows: true stops the run there, checkpointed
     * @param listener hears the run's events; it must not throw (see {@link SafeRunListener})
     * @param progress told the rows counted before reading and the rows read as the run goes
     */
    public SyncRun(String runId, SyncSpec spec, SourceConnector connector, RowSink sink, StateStore stateStore,
            Clock clock, BooleanSupplier stopRequested, RunListener listener, RunProgress progress) {
        this.listener = requireNonNull(listener, "listener is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.options = spec.options();
        this.connector = requireNonNull(connector, "connector is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.stateStore = requireNonNull(stateStore, "stateStore is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tally = new RunTally(options.rowErrorsKept());
        this.window = new FingerprintWindow(options.fingerprintLimit(), options.lookback(), fingerprinter);
        this.stopRequested = requireNonNull(stopRequested, "stopRequested is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.run = new RunListener.Run(runId, spec.integration(), spec.connector());
    }

    /**
     * Runs the sync. Never throws for a failure of the source, the sink or the state store: the result says what
     * happened.
     *
     * @return the run's result
     */
    public RunResult execute() {
        RunLogContext logContext = RunLogContext.open(spec.integration(), runId);
        try {
            listener.runStarted(run);
            RunResult result = executeLogged();
            listener.runEnded(run, result);
            return result;
        } finally {
            logContext.close();
        }
    }

    private RunResult executeLogged() {
        Instant startedAt = clock.instant();
        log.info("[{}] Run {} started: {} from {}", spec.integration(), runId, spec.dataType().configName(), spec.table());
        RunStatus status;
        Optional<SyncError> error = Optional.empty();
        try {
            status = sync();
        } catch (RunStopped stopped) {
            status = RunStatus.ERROR;
            error = Optional.of(new SyncError(ErrorCode.RUN_STOPPED, "[" + spec.integration() + "] Stopped on request"
                    + stopped.getMessage() + "; the next run resumes from the last checkpoint"));
        } catch (RowLimitExceeded exceeded) {
            status = RunStatus.LIMIT_EXCEEDED;
            error = Optional.of(new SyncError(ErrorCode.ROW_LIMIT_EXCEEDED, exceeded.getMessage()));
        } catch (CdiException failure) {
            ErrorCategory category = failure.category();
            status = category == ErrorCategory.SCHEMA || category == ErrorCategory.CONFIG
                    ? RunStatus.CONFIG_ERROR : RunStatus.ERROR;
            error = Optional.of(SyncError.of(failure));
        } catch (OutOfMemoryError exhausted) {
            // The run's rows are unreachable once unwound to here, so the process can go on and report it.
            status = RunStatus.ERROR;
            error = Optional.of(outOfMemory(exhausted));
        } catch (RuntimeException bug) {
            // A connector or sink that broke its contract must not take the caller down with it.
            status = RunStatus.ERROR;
            error = Optional.of(new SyncError(ErrorCode.INTERNAL_ERROR, "[" + spec.integration() + "] Unexpected "
                    + "failure, a defect in CDI or in the " + spec.connector() + " connector: " + bug
                    + "; please report it with the log of run " + runId));
            log.error("[{}] Run {} failed unexpectedly", spec.integration(), runId, bug);
        }
        RunResult result = new RunResult(runId, spec.integration(), status, startedAt, clock.instant(), tally.rowsRead,
                tally.rowsSynced, tally.rowsFailed, tally.rowsDeferred, Optional.ofNullable(tally.firstUpdatedAt),
                Optional.ofNullable(tally.lastUpdatedAt), tally.watermark, tally.rowErrors(), error);
        log.info("[{}] Run {} ended {}: read {}, synced {}, failed {}, deferred {}{}", spec.integration(), runId, status,
                result.rowsRead(), result.rowsSynced(), result.rowsFailed(), result.rowsDeferred(),
                error.map(e -> "; " + e.category() + ": " + e.message()).orElse(""));
        return result;
    }

    private RunStatus sync() {
        if (stopRequested.getAsBoolean()) {
            throw new RunStopped(" before reading");
        }
        long planningStart = System.nanoTime();
        TableName table = spec.table();
        RunContext run = new RunContext(spec.integration(), runId);
        TableSchema schema = connector.describe(table, run);
        SchemaRules.check(table, spec.dataType(), schema);
        Optional<SyncState> state = stateStore.load(spec.integration());
        tally.watermark = state.map(SyncState::watermark);

        Instant warehouseTime = connector.currentTime(run);
        listener.warehouseTimeRead(this.run, warehouseTime);
        Instant upperBound = warehouseTime.minus(options.settleLag());
        ReadPlan plan = ReadPlan.of(state, options.lookback(), upperBound, () -> connector.countEach(table, schema,
                List.of(RowFilter.at(state.get().watermark().updatedAt())), run).get(0));
        List<RowFilter> counted = new ArrayList<>(List.of(RowFilter.above(upperBound), RowFilter.nullUpdatedAt(),
                BELOW_RANGE));
        plan.filter().ifPresent(counted::add);
        List<Long> counts = connector.countEach(table, schema, counted, run);
        tally.rowsDeferred = counts.get(0);
        if (plan.filter().isPresent()) {
            long candidates = counts.get(3);
            if (candidates - plan.skippableRows() > options.rowLimit()) {
                throw new RowLimitExceeded("Found " + (candidates - plan.skippableRows()) + " new rows in " + table
                        + ", more than the row limit of " + options.rowLimit() + "; no row was read and the watermark "
                        + "did not move. Raise rowLimit, or reset the watermark to a later instant");
            }
        }
        progress.counted(counts.get(1) + counts.get(2)
                + (plan.filter().isPresent() ? Math.max(0, counts.get(3) - plan.skippableRows()) : 0));
        RowValidator validator = RowValidator.of(spec.dataType(), options.updateExistingOnly());
        reportUnsyncable(run, table, schema, RowFilter.nullUpdatedAt(), counts.get(1),
                row -> ((RowVerdict.Invalid) validator.validate(row)).error());
        reportUnsyncable(run, table, schema, BELOW_RANGE, counts.get(2), validator::outOfRange);
        log.debug("[{}] Planned in {} ms: upper bound {}, {} rows deferred, reading {}", spec.integration(),
                (System.nanoTime() - planningStart) / 1_000_000, upperBound, tally.rowsDeferred, plan.filter());
        if (plan.filter().isPresent()) {
            readAndDeliver(run, new ReadRequest(table, schema, plan.filter().get(), OptionalLong.empty()), plan);
        }
        progress.read(tally.rowsRead);
        return tally.rowsFailed > 0 ? RunStatus.PARTIAL : RunStatus.SUCCESS;
    }

    /**
     * Reports the rows no run can sync (SPEC 4.6 and 4.7): a NULL {@code UPDATED_AT}, or one below the range CDI
     * handles. Every run counts them; the first of them are read and listed with their identifiers.
     */
    private void reportUnsyncable(RunContext run, TableName table, TableSchema schema, RowFilter filter, long count,
            Function<SourceRow, RowError> errorOf) {
        if (count == 0) {
            return;
        }
        long detailed = 0;
        try (RowStream rows = connector.read(new ReadRequest(table, schema, filter,
                OptionalLong.of(UNSYNCABLE_DETAIL)), run)) {
            while (rows.hasNext() && detailed < count) {
                tally.rowsRead++;
                tally.failed(errorOf.apply(rows.next()));
                detailed++;
            }
        }
        // Beyond the first rows they are counted, not listed: a table full of them must not flood the record.
        tally.rowsRead += count - detailed;
        tally.rowsFailed += count - detailed;
    }

    private void readAndDeliver(RunContext run, ReadRequest request, ReadPlan plan) {
        RowValidator validator = RowValidator.of(spec.dataType(), options.updateExistingOnly());
        BatchDelivery delivery = new BatchDelivery(spec.integration(), sink, options.sinkAttempts(),
                options.sinkRetryBackoff(), tally,
                (rows, latency, retries) -> listener.batchDelivered(this.run, rows, latency, retries));
        List<ResolvedRow> batch = new ArrayList<>(options.batchSize());
        Instant group = null;
        long groupSize = 0;
        long sinceCheckpoint = 0;
        long batchBytes = 0;
        try (RowPrefetcher rows = new RowPrefetcher(spec.integration(), connector.read(request, run),
                validator::validate)) {
            while (rows.hasNext()) {
                SourceRow row = rows.next();
                Instant updatedAt = row.updatedAt().orElseThrow(() -> new CdiException(ErrorCode.QUERY_FAILED,
                        "The connector returned a row with a NULL UPDATED_AT for a range read of " + request.table()));
                if (updatedAt.isBefore(Watermark.MIN_UPDATED_AT)) {
                    // The read starts at the range's beginning, so only a driver that misreads a value lands here.
                    tally.rowsRead++;
                    tally.failed(validator.outOfRange(row));
                    continue;
                }
                if (group == null || updatedAt.isAfter(group)) {
                    boolean stopping = group != null && stopRequested.getAsBoolean();
                    if (group != null && (stopping || sinceCheckpoint >= options.checkpointEvery())) {
                        batch = flush(batch, delivery);
                        batchBytes = 0;
                        delivery.awaitInFlight();
                        checkpoint(group, groupSize);
                        sinceCheckpoint = 0;
                    }
                    if (stopping) {
                        throw new RunStopped(" after the rows up to " + group + ", all delivered");
                    }
                    group = updatedAt;
                    groupSize = 0;
                    window.slideTo(updatedAt);
                } else if (updatedAt.isBefore(group)) {
                    throw new CdiException(ErrorCode.QUERY_FAILED, "The connector returned rows out of UPDATED_AT order ("
                            + updatedAt + " after " + group + ") for " + request.table());
                }
                groupSize++;
                if (plan.mayHaveDelivered(updatedAt)) {
                    Fingerprint fingerprint = fingerprinter.of(row);
                    window.add(updatedAt, fingerprint);
                    if (plan.skips(updatedAt, fingerprint)) {
                        continue;
                    }
                } else {
                    window.add(updatedAt, row);
                }
                tally.read(updatedAt);
                if ((tally.rowsRead & PROGRESS_EVERY_MASK) == 0) {
                    progress.read(tally.rowsRead);
                }
                if (tally.rowsRead > options.rowLimit()) {
                    throw new RowLimitExceeded("More than the row limit of " + options.rowLimit() + " rows arrived in "
                            + request.table() + " while the run read it; the run stopped at its last checkpoint");
                }
                sinceCheckpoint++;
                RowVerdict verdict = rows.verdict();
                if (verdict instanceof RowVerdict.Valid valid) {
                    batch.add(valid.row());
                    batchBytes += 2L * valid.row().payloadJson().map(String::length).orElse(0) + ROW_OVERHEAD_BYTES;
                    if (batch.size() >= options.batchSize() || batchBytes >= BATCH_BYTES) {
                        batch = flush(batch, delivery);
                        batchBytes = 0;
                    }
                } else {
                    tally.failed(((RowVerdict.Invalid) verdict).error());
                }
            }
        }
        flush(batch, delivery);
        delivery.awaitInFlight();
        if (group != null) {
            checkpoint(group, groupSize);
        }
    }

    private List<ResolvedRow> flush(List<ResolvedRow> batch, BatchDelivery delivery) {
        if (batch.isEmpty()) {
            return batch;
        }
        delivery.send(batch);
        return new ArrayList<>(options.batchSize());
    }

    private void checkpoint(Instant group, long groupSize) {
        Watermark watermark = new Watermark(group, groupSize);
        stateStore.save(spec.integration(), new SyncState(watermark, window.fingerprints(), window.isComplete(group)));
        tally.watermark = Optional.of(watermark);
        log.debug("[{}] Checkpoint at {} ({} rows at it)", spec.integration(), group, groupSize);
    }

    private SyncError outOfMemory(OutOfMemoryError exhausted) {
        Runtime runtime = Runtime.getRuntime();
        return new SyncError(ErrorCode.OUT_OF_MEMORY, "[" + spec.integration() + "] The process ran out of memory ("
                + exhausted.getMessage() + ", maximum heap " + runtime.maxMemory() / (1024 * 1024) + " MB) after "
                + tally.rowsRead + " rows; the watermark keeps its last checkpoint. Give the process more heap or "
                + "lower batchSize");
    }

    /** The run was asked to stop, and stopped at a checkpoint. */
    private static final class RunStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunStopped(String where) {
            super(where, null, false, false);
        }
    }

    /** The run found more rows than its limit. */
    private static final class RowLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RowLimitExceeded(String message) {
            super(message, null, false, false);
        }
    }
}
