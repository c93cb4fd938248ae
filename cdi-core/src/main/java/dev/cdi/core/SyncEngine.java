package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.Experimental;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.Watermark;
import dev.cdi.core.internal.ConnectorCache;
import dev.cdi.core.internal.RunLogContext;
import dev.cdi.core.internal.SafeRunListener;
import dev.cdi.core.internal.SyncRun;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.core.state.StateStore;
import dev.cdi.core.state.SyncState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs syncs: for an integration's {@link SyncSpec}, reads the rows that changed since its watermark, validates
 * and resolves them, hands them to a {@link RowSink}, and checkpoints the watermark in a {@link StateStore}.
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder().stateStore(new FileStateStore(Path.of("state"))).build()) {
 *     RunResult result = engine.run(spec, sink);
 * }
 * }</pre>
 *
 * <p>Connectors opened by name are kept open across runs: one per connector name and connection settings, shared
 * by the runs and integrations that use the same settings (so a pool, and a tunnel, is built once rather than per
 * run). A connector is closed once no run has used it for {@link Builder#connectorIdleTimeout} (5 minutes by
 * default, on the engine's clock), after a run that failed to connect or to log in (the next run opens a fresh
 * one, with the credential as it is now), when it reports itself unhealthy ({@link SourceConnector#isHealthy}),
 * and by {@link #close()}. An engine that is never closed still closes its idle connectors, from a daemon thread;
 * those left when the JVM exits are closed with it.
 *
 * <p>Thread-safe: runs of different integrations may go on at once. Do not run the same integration twice at
 * the same time against one state store.
 */
public final class SyncEngine implements AutoCloseable {
    private final StateStore stateStore;
    private final ConnectorRegistry connectors;
    private final Clock clock;
    private final ConnectorCache openConnectors;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final RunListener listener;

    private SyncEngine(Builder builder) {
        this.listener = new SafeRunListener(builder.listeners);
        this.stateStore = builder.stateStore;
        this.connectors = builder.connectors;
        this.clock = builder.clock;
        this.openConnectors = new ConnectorCache(builder.clock, builder.connectorIdleTimeout);
    }

    /**
     * A builder with an in-memory state store, the connectors found on the class path and the system clock.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one sync of an integration on its connector, found by name and opened unless one with the same settings
     * is open already (see the class documentation for how long it stays open). Failures are
     * reported in the result, not thrown: an unknown connector or bad connection settings give
     * {@link RunStatus#CONFIG_ERROR} before any row is read.
     *
     * @param spec the integration
     * @param sink where resolved rows go
     * @return the run's result
     */
    public RunResult run(SyncSpec spec, RowSink sink) {
        return run(UUID.randomUUID().toString(), spec, sink);
    }

    /**
     * Runs one sync under a run id the caller chose, so that it can record the run (as running) before it starts;
     * otherwise as {@link #run(SyncSpec, RowSink)}.
     *
     * @param runId a unique id for the run
     * @param spec the integration
     * @param sink where resolved rows go
     * @return the run's result, whose {@link RunResult#runId()} is {@code runId}
     */
    public RunResult run(String runId, SyncSpec spec, RowSink sink) {
        return run(runId, spec, sink, RunProgress.NONE);
    }

    /**
     * Runs one sync as {@link #run(String, SyncSpec, RowSink)} does, telling {@code progress} the rows counted before
     * reading and the rows read as the run goes.
     *
     * @param runId a unique id for the run
     * @param spec the integration
     * @param sink where resolved rows go
     * @param progress follows this run only
     * @return the run's result, whose {@link RunResult#runId()} is {@code runId}
     */
    @Experimental
    public RunResult run(String runId, SyncSpec spec, RowSink sink, RunProgress progress) {
        requireNonNull(runId, "runId is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(sink, "sink is null");
        ConnectorCache.Lease lease;
        Instant startedAt = clock.instant();
        try {
            SourceConnectorProvider provider = connectors.provider(spec.connector());
            lease = openConnectors.acquire(provider, spec.connectorSettings());
        } catch (CdiException failure) {
            return failedBeforeReading(runId, spec, startedAt, failure);
        }
        RunResult result = null;
        try {
            result = new SyncRun(runId, spec, lease.connector(), sink, stateStore, clock, stopRequested::get, listener,
                    progress)
                    .execute();
            return result;
        } finally {
            lease.release(result == null || brokeConnector(result));
        }
    }

    /**
     * Whether the connector that served a run must not serve the next: it could not reach the warehouse (a pool or
     * tunnel may be wedged), or could not log in (the credential may have been rotated since it was opened).
     */
    private static boolean brokeConnector(RunResult result) {
        return result.error().map(error -> error.category() == ErrorCategory.CONNECTIVITY
                || error.category() == ErrorCategory.AUTHENTICATION).orElse(false);
    }

    /**
     * Runs one sync of an integration on a connector the caller opened (and closes).
     *
     * @param spec the integration
     * @param connector an open connector to the integration's warehouse
     * @param sink where resolved rows go
     * @return the run's result
     */
    public RunResult run(SyncSpec spec, SourceConnector connector, RowSink sink) {
        return new SyncRun(UUID.randomUUID().toString(), spec, connector, sink, stateStore, clock, stopRequested::get,
                listener).execute();
    }

    /**
     * Asks every run of this engine to stop, for a graceful shutdown (a SIGTERM, an application closing): a run in
     * progress stops at its next boundary between groups of equal {@code UPDATED_AT}, after delivering and
     * checkpointing every row before it, so that the next run neither misses nor repeats a row; a run started
     * afterwards stops before reading. Such runs end {@link RunStatus#ERROR} with
     * {@link dev.cdi.api.ErrorCode#RUN_STOPPED}. Cannot be undone: build a new engine to run again.
     */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * Closes the connectors this engine keeps open: those no run uses at once, the others as their runs end. Runs
     * started afterwards still work, each on a connector opened for it alone. Calling it again does nothing.
     */
    @Override
    public void close() {
        openConnectors.close();
    }

    /**
     * The integration's current watermark.
     *
     * @param integration the integration's name
     * @return the watermark, or empty before the first checkpoint
     */
    public Optional<Watermark> watermark(String integration) {
        return stateStore.load(integration).map(SyncState::watermark);
    }

    /**
     * Moves the watermark back to the beginning: the next run reads the whole table again.
     *
     * @param integration the integration's name
     */
    public void resetWatermark(String integration) {
        stateStore.delete(integration);
    }

    /**
     * Moves the watermark to an instant: the next run reads the rows with {@code UPDATED_AT >= instant} (minus the
     * look-back) again, none skipped.
     *
     * @param integration the integration's name
     * @param instant the new watermark
     */
    public void resetWatermark(String integration, Instant instant) {
        stateStore.save(integration, new SyncState(new Watermark(instant, 0), Set.of(), true));
    }

    /**
     * The connectors this engine can open by name.
     *
     * @return the registry
     */
    public ConnectorRegistry connectors() {
        return connectors;
    }

    private RunResult failedBeforeReading(String runId, SyncSpec spec, Instant startedAt, CdiException failure) {
        ErrorCategory category = failure.category();
        RunStatus status = category == ErrorCategory.CONFIG || category == ErrorCategory.SCHEMA
                ? RunStatus.CONFIG_ERROR : RunStatus.ERROR;
        RunListener.Run run = new RunListener.Run(runId, spec.integration(), spec.connector());
        RunLogContext logContext = RunLogContext.open(spec.integration(), runId);
        try {
            listener.runStarted(run);
            RunResult result = new RunResult(runId, spec.integration(), status, startedAt, clock.instant(), 0, 0, 0,
                    0, Optional.empty(), Optional.empty(), watermark(spec.integration()), List.of(),
                    Optional.of(SyncError.of(failure)));
            listener.runEnded(run, result);
            return result;
        } finally {
            logContext.close();
        }
    }

    /**
     * Builds a {@link SyncEngine}. Not thread-safe.
     */
    public static final class Builder {
        private StateStore stateStore = new InMemoryStateStore();
        private ConnectorRegistry connectors;
        private Clock clock = Clock.systemUTC();
        private Duration connectorIdleTimeout = Duration.ofMinutes(5);
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a listener that hears about every run (default: none), after those added before.
         *
         * @param listener the listener, such as one recording metrics
         * @return this builder
         */
        public Builder listener(RunListener listener) {
            listeners.add(requireNonNull(listener, "listener is null"));
            return this;
        }

        /**
         * Sets where watermarks are kept.
         *
         * @param stateStore the store
         * @return this builder
         */
        public Builder stateStore(StateStore stateStore) {
            this.stateStore = requireNonNull(stateStore, "stateStore is null");
            return this;
        }

        /**
         * Replaces the connectors found on the class path.
         *
         * @param connectors the registry
         * @return this builder
         */
        public Builder connectors(ConnectorRegistry connectors) {
            this.connectors = requireNonNull(connectors, "connectors is null");
            return this;
        }

        /**
         * Adds a connector next to those found on the class path (or set with {@link #connectors}), replacing one of
         * the same name.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder registerConnector(SourceConnectorProvider provider) {
            this.connectors = registry().with(provider);
            return this;
        }

        /**
         * Sets the clock for run start and end times and for connectors' idle time (the rows' upper bound always
         * comes from the warehouse).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Sets how long a connector no run uses stays open for the next run (default 5 minutes).
         *
         * @param connectorIdleTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException when it is zero or negative
         */
        public Builder connectorIdleTimeout(Duration connectorIdleTimeout) {
            requireNonNull(connectorIdleTimeout, "connectorIdleTimeout is null");
            if (connectorIdleTimeout.isNegative() || connectorIdleTimeout.isZero()) {
                throw new IllegalArgumentException("connectorIdleTimeout must be positive, was " + connectorIdleTimeout);
            }
            this.connectorIdleTimeout = connectorIdleTimeout;
            return this;
        }

        /**
         * Builds the engine.
         *
         * @return the engine
         */
        public SyncEngine build() {
            connectors = registry();
            return new SyncEngine(this);
        }

        private ConnectorRegistry registry() {
            return connectors != null ? connectors : ConnectorRegistry.discover();
        }
    }
}
