package dev.cdi.core.scheduler;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.InMemoryRunHistory;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.internal.RunLogContext;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.lease.Lease;
import dev.cdi.core.lease.LeaseStore;
import dev.cdi.core.notify.NotificationDispatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one integration once, under a lease: at most one run of an integration at a time, also across JVMs that
 * share the lease store. While it runs the lease is renewed; a holder that dies stops renewing, so its lease expires
 * and the integration is not stuck. Each run is recorded in the run history (as running, then its end) and its
 * notification, if any, is dispatched; a notification failure never fails the run. At most once an hour, after a
 * run, the history is pruned to its default retention (row detail 30 days, summaries a year).
 *
 * <p>A run whose process died stays recorded as running until the integration's lease is next taken: the new
 * holder (the next run, or the hourly pruning pass, which takes each free lease for a moment) marks it
 * {@link dev.cdi.api.RunStatus#ERROR} with {@link dev.cdi.api.ErrorCode#RUN_ABANDONED} and the time.
 *
 * <p>Thread-safe; close it to stop the lease renewals.
 */
public final class IntegrationRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntegrationRunner.class);

    /** How long a lease lasts unless renewed; it is renewed every third of that while the run goes on. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(2);
    private static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

    private final SyncEngine engine;
    private final LeaseStore leases;
    private final RunHistory history;
    private final Optional<NotificationDispatcher> notifications;
    private final SinkFactory sinks;
    private final String holder;
    private final Duration leaseTtl;
    private final Clock clock;
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>(Instant.MIN);
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cdi-lease-renewal");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Creates a runner.
     *
     * @param engine runs the syncs
     * @param leases where runs take their lease
     * @param history where runs are recorded
     * @param notifications sends notifications, if any are wanted
     * @param sinks gives each run its sink
     * @param leaseTtl how long a lease lasts unless renewed
     * @param clock the clock for the running record
     */
    public IntegrationRunner(SyncEngine engine, LeaseStore leases, RunHistory history,
            Optional<NotificationDispatcher> notifications, SinkFactory sinks, Duration leaseTtl, Clock clock) {
        this.engine = requireNonNull(engine, "engine is null");
        this.leases = requireNonNull(leases, "leases is null");
        this.history = requireNonNull(history, "history is null");
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.sinks = requireNonNull(sinks, "sinks is null");
        this.leaseTtl = requireNonNull(leaseTtl, "leaseTtl is null");
        if (leaseTtl.toMillis() < 3) {
            throw new IllegalArgumentException("leaseTtl is too short: " + leaseTtl);
        }
        this.clock = requireNonNull(clock, "clock is null");
        this.holder = "cdi-" + UUID.randomUUID();
    }

    /**
     * Starts configuring a runner.
     *
     * @param engine runs the syncs
     * @return a builder with the defaults listed on its methods
     */
    public static Builder builder(SyncEngine engine) {
        return new Builder(engine);
    }

    /**
     * Takes the integration's lease, unless another run holds it.
     *
     * @param integration the integration
     * @return the lease, or empty when another run is in progress
     */
    public Optional<Lease> acquire(ScheduledIntegration integration) {
        // One holder per run, not per runner: a lease store lets a holder take its own lease again.
        return leases.tryAcquire(integration.name(), holder + "/" + UUID.randomUUID(), leaseTtl);
    }

    /**
     * Runs the integration on the calling thread under a lease from {@link #acquire}, and releases it.
     *
     * @param integration the integration
     * @param lease its lease, held by this runner
     * @return the run's result
     */
    public RunResult run(ScheduledIntegration integration, Lease lease) {
        requireNonNull(integration, "integration is null");
        requireNonNull(lease, "lease is null");
        long renewEvery = Math.max(1, leaseTtl.toMillis() / 3);
        String runId = UUID.randomUUID().toString();
        // The history, lease and notification lines of a run carry its keys too, not only the engine's.
        RunLogContext logContext = RunLogContext.open(integration.name(), runId);
        ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(RunLogContext.propagate(() -> renew(lease)),
                renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            endAbandonedRuns(integration.name());
            history.recordStart(runId, integration.name(), clock.instant());
            RunResult result = engine.run(runId, integration.spec(), sinks.sinkFor(integration));
            history.recordEnd(result);
            pruneHistoryHourly();
            integration.notifications().ifPresent(preferences -> notifications.ifPresent(
                    dispatcher -> dispatcher.dispatch(integration.name(), result, preferences)));
            return result;
        } finally {
            renewal.cancel(false);
            try {
                leases.release(lease);
            } finally {
                logContext.close();
            }
        }
    }

    /**
     * Runs the integration now on the calling thread, unless another run is in progress.
     *
     * @param integration the integration
     * @return the run's result, or empty when another run holds the lease
     */
    public Optional<RunResult> runIfFree(ScheduledIntegration integration) {
        return acquire(integration).map(lease -> run(integration, lease));
    }

    /**
     * Keeps the history to its retention (row detail 30 days, summaries a year) without pruning after every run, and
     * ends the abandoned runs of integrations that have not run since their process stopped.
     */
    private void pruneHistoryHourly() {
        Instant now = clock.instant();
        Instant last = lastPrune.get();
        if (last.plus(PRUNE_INTERVAL).isAfter(now) || !lastPrune.compareAndSet(last, now)) {
            return;
        }
        try {
            history.prune(now);
            endAbandonedRuns();
        } catch (RuntimeException e) {
            log.warn("Pruning the run history failed: {}", e.toString());
        }
    }

    /**
     * Ends the runs still recorded as running of every integration whose lease is free: a free lease proves that
     * the process running them stopped. Integrations whose lease is held are left to their holder.
     */
    public void endAbandonedRuns() {
        for (String integration : history.integrationsWithRunningRuns()) {
            leases.tryAcquire(integration, holder + "/prune-" + UUID.randomUUID(), leaseTtl).ifPresent(lease -> {
                try {
                    endAbandonedRuns(integration);
                } finally {
                    leases.release(lease);
                }
            });
        }
    }

    // Called under the integration's lease, so no run of it is alive: any still recorded as running was abandoned.
    private void endAbandonedRuns(String integration) {
        for (RunSummary abandoned : history.endAbandonedRuns(integration, clock.instant())) {
            log.warn("[{}] Run {} (started {}) was still recorded as running; its process stopped before it ended."
                    + " Marked ERROR", integration, abandoned.runId(), abandoned.startedAt());
        }
    }

    private void renew(Lease lease) {
        try {
            if (!leases.renew(lease, leaseTtl)) {
                log.warn("[{}] Lost the run lease (token {}): another holder took it after it expired; this run "
                        + "goes on, and a second run may overlap it", lease.integration(), lease.token());
            }
        } catch (RuntimeException e) {
            log.warn("[{}] Could not renew the run lease: {}", lease.integration(), e.toString());
        }
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }

    /**
     * Configures an {@link IntegrationRunner}. Not thread-safe.
     */
    public static final class Builder {
        private final SyncEngine engine;
        private LeaseStore leases;
        private RunHistory history = new InMemoryRunHistory();
        private Optional<NotificationDispatcher> notifications = Optional.empty();
        private SinkFactory sinks;
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private Clock clock = Clock.systemUTC();

        private Builder(SyncEngine engine) {
            this.engine = requireNonNull(engine, "engine is null");
        }

        /**
         * Sets where runs take their leases (default: in memory, by the runner's clock).
         *
         * @param leases the lease store
         * @return this builder
         */
        public Builder leases(LeaseStore leases) {
            this.leases = requireNonNull(leases, "leases is null");
            return this;
        }

        /**
         * Sets where runs are recorded (default: in memory).
         *
         * @param history the run history
         * @return this builder
         */
        public Builder history(RunHistory history) {
            this.history = requireNonNull(history, "history is null");
            return this;
        }

        /**
         * Sends notifications through this dispatcher (default: none).
         *
         * @param notifications the dispatcher, or empty for none
         * @return this builder
         */
        public Builder notifications(Optional<NotificationDispatcher> notifications) {
            this.notifications = requireNonNull(notifications, "notifications is null");
            return this;
        }

        /**
         * Sets where each integration's rows go. Required.
         *
         * @param sinks gives each run its sink
         * @return this builder
         */
        public Builder sinks(SinkFactory sinks) {
            this.sinks = requireNonNull(sinks, "sinks is null");
            return this;
        }

        /**
         * Sets how long a lease lasts unless renewed (default {@link #DEFAULT_LEASE_TTL}).
         *
         * @param leaseTtl at least 3 ms
         * @return this builder
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = requireNonNull(leaseTtl, "leaseTtl is null");
            return this;
        }

        /**
         * Sets the clock of run records and of the default lease store (default: the system's, in UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Builds the runner.
         *
         * @return the runner
         * @throws IllegalStateException when no sink factory is set
         */
        public IntegrationRunner build() {
            if (sinks == null) {
                throw new IllegalStateException("sinks is not set: the runner needs to know where rows go");
            }
            return new IntegrationRunner(engine, leases != null ? leases : new InMemoryLeaseStore(clock), history,
                    notifications, sinks, leaseTtl, clock);
        }
    }
}
