package dev.cdi.core.service;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.core.RunListener;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.InMemoryRunHistory;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.lease.LeaseStore;
import dev.cdi.core.notify.NotificationDispatcher;
import dev.cdi.core.notify.NotificationPolicy;
import dev.cdi.core.notify.Notifier;
import dev.cdi.core.registry.InMemoryRegistryStore;
import dev.cdi.core.registry.IntegrationRegistry;
import dev.cdi.core.registry.RegistryStore;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.scheduler.Scheduler;
import dev.cdi.core.scheduler.SinkFactory;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.core.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CDI as a service, in one object: the sync engine, the integrations registry, the runner (leases, run history,
 * notifications), the scheduler and the {@link SyncService} API, built together over one store and one clock, and
 * started and stopped as one. Several instances of an application may each build one over a shared
 * {@link dev.cdi.core.state.PostgresStateStore}: they see one registry, and an integration runs in one of them at a
 * time.
 *
 * <pre>{@code
 * try (CdiService cdi = CdiService.builder()
 *         .store(new PostgresStateStore(dataSource))
 *         .secretKey(SecretCipher.fromBase64(System.getenv("CDI_SECRET_KEY")))
 *         .notifier(mail)
 *         .sinkFactory(integration -> mySink)
 *         .build()) {
 *     cdi.start();
 *     cdi.registry().create(...);
 *     cdi.api().triggerSync("users");
 * }
 * }</pre>
 *
 * <p>The parts stay usable on their own for an application that wants to assemble them differently.
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} may each be called any number of times; a closed service
 * cannot be started again.
 */
public final class CdiService implements AutoCloseable {
    private final SyncEngine engine;
    private final IntegrationRegistry registry;
    private final IntegrationRunner runner;
    private final Scheduler scheduler;
    private final SyncService api;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private CdiService(Builder builder) {
        SyncEngine.Builder engineBuilder = SyncEngine.builder().stateStore(builder.stateStore).clock(builder.clock);
        builder.connectors.forEach(engineBuilder::registerConnector);
        builder.listeners.forEach(engineBuilder::listener);
        this.engine = engineBuilder.build();
        this.registry = new IntegrationRegistry(engine.connectors(), builder.secretKey, builder.registryStore);
        this.runner = IntegrationRunner.builder(engine)
                .leases(builder.leaseStore)
                .history(builder.runHistory)
                .notifications(builder.notifier.map(notifier -> new NotificationDispatcher(builder.policy, notifier)))
                .sinks(builder.sinkFactory)
                .leaseTtl(builder.leaseTtl)
                .clock(builder.clock)
                .build();
        this.scheduler = new Scheduler(registry, runner, builder.threads, builder.tickInterval, builder.clock);
        this.api = new SyncService(registry, scheduler, builder.runHistory, builder.stateStore, builder.clock);
    }

    /**
     * Starts configuring a service.
     *
     * @return a builder with the defaults listed on its methods
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the scheduler: due integrations run from now on, on the service's threads. Does nothing when started
     * already.
     *
     * @throws IllegalStateException when the service was closed
     */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("This CDI service was closed; build a new one");
        }
        if (started.compareAndSet(false, true)) {
            scheduler.start();
        }
    }

    /**
     * The integrations: workspaces, credentials, and integrations with their life cycle.
     *
     * @return the registry
     */
    public IntegrationRegistry registry() {
        return registry;
    }

    /**
     * The reference product's API: list integrations, trigger a sync, list runs.
     *
     * @return the API
     */
    public SyncService api() {
        return api;
    }

    /**
     * The scheduler, for its planned next runs.
     *
     * @return the scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The engine, for one-off runs and watermark resets.
     *
     * @return the engine
     */
    public SyncEngine engine() {
        return engine;
    }

    /**
     * Stops the scheduler (runs in progress get a grace period to end) and the lease renewals, then closes the
     * connectors the engine kept open (one still serving a run closes when that run ends). Does nothing when closed
     * already.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                scheduler.close();
            } finally {
                try {
                    runner.close();
                } finally {
                    engine.close();
                }
            }
        }
    }

    /**
     * Configures a {@link CdiService}. Every store defaults to one kept in memory (lost at exit, not shared); set
     * {@link #store} to a {@link dev.cdi.core.state.PostgresStateStore} for a service whose instances share their
     * state. Not thread-safe.
     */
    public static final class Builder {
        private StateStore stateStore = new InMemoryStateStore();
        private LeaseStore leaseStore;
        private RunHistory runHistory = new InMemoryRunHistory();
        private RegistryStore registryStore = new InMemoryRegistryStore();
        private SecretCipher secretKey;
        private Optional<Notifier> notifier = Optional.empty();
        private NotificationPolicy policy = new NotificationPolicy();
        private SinkFactory sinkFactory;
        private final List<SourceConnectorProvider> connectors = new ArrayList<>();
        private final List<RunListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private int threads = 4;
        private Duration tickInterval = Duration.ofSeconds(15);
        private Duration leaseTtl = IntegrationRunner.DEFAULT_LEASE_TTL;

        private Builder() {
        }

        /**
         * Keeps everything in one store: watermarks, leases, run history and the registry.
         *
         * @param store the store, such as a {@link dev.cdi.core.state.PostgresStateStore}
         * @param <S> a store of all four kinds
         * @return this builder
         */
        public <S extends StateStore & LeaseStore & RunHistory & RegistryStore> Builder store(S store) {
            requireNonNull(store, "store is null");
            this.stateStore = store;
            this.leaseStore = store;
            this.runHistory = store;
            this.registryStore = store;
            return this;
        }

        /**
         * Sets where watermarks are kept (default: in memory).
         *
         * @param stateStore the store
         * @return this builder
         */
        public Builder stateStore(StateStore stateStore) {
            this.stateStore = requireNonNull(stateStore, "stateStore is null");
            return this;
        }

        /**
         * Sets where runs take their leases (default: in memory, by the service's clock).
         *
         * @param leaseStore the store
         * @return this builder
         */
        public Builder leaseStore(LeaseStore leaseStore) {
            this.leaseStore = requireNonNull(leaseStore, "leaseStore is null");
            return this;
        }

        /**
         * Sets where runs are recorded (default: in memory).
         *
         * @param runHistory the history
         * @return this builder
         */
        public Builder runHistory(RunHistory runHistory) {
            this.runHistory = requireNonNull(runHistory, "runHistory is null");
            return this;
        }

        /**
         * Sets where the registry is kept (default: in memory).
         *
         * @param registryStore the store
         * @return this builder
         */
        public Builder registryStore(RegistryStore registryStore) {
            this.registryStore = requireNonNull(registryStore, "registryStore is null");
            return this;
        }

        /**
         * Sets the application's key, which encrypts credentials at rest. Required.
         *
         * @param secretKey the cipher holding the key
         * @return this builder
         */
        public Builder secretKey(SecretCipher secretKey) {
            this.secretKey = requireNonNull(secretKey, "secretKey is null");
            return this;
        }

        /**
         * Sends notifications through this notifier (default: none are sent).
         *
         * @param notifier the notifier, such as an SMTP notifier
         * @return this builder
         */
        public Builder notifier(Notifier notifier) {
            this.notifier = Optional.of(requireNonNull(notifier, "notifier is null"));
            return this;
        }

        /**
         * Sets which runs are notified (default: {@code new NotificationPolicy()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder notificationPolicy(NotificationPolicy policy) {
            this.policy = requireNonNull(policy, "policy is null");
            return this;
        }

        /**
         * Sets where each integration's rows go. Required.
         *
         * @param sinkFactory gives each run its sink
         * @return this builder
         */
        public Builder sinkFactory(SinkFactory sinkFactory) {
            this.sinkFactory = requireNonNull(sinkFactory, "sinkFactory is null");
            return this;
        }

        /**
         * Adds a connector next to those found on the class path, replacing one of the same name.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder registerConnector(SourceConnectorProvider provider) {
            connectors.add(requireNonNull(provider, "provider is null"));
            return this;
        }

        /**
         * Adds a listener that hears about every run of this service (default: none), after those added before.
         *
         * @param listener the listener, such as a Micrometer one
         * @return this builder
         */
        public Builder listener(RunListener listener) {
            listeners.add(requireNonNull(listener, "listener is null"));
            return this;
        }

        /**
         * Sets the one clock of every part: schedules, run times, in-memory leases (default: the system's, in UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Sets how many runs may go on at once in this instance (default 4).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets how often due integrations are looked for (default 15 seconds).
         *
         * @param tickInterval positive
         * @return this builder
         */
        public Builder tickInterval(Duration tickInterval) {
            requireNonNull(tickInterval, "tickInterval is null");
            if (tickInterval.isNegative() || tickInterval.isZero()) {
                throw new IllegalArgumentException("tickInterval must be positive, was " + tickInterval);
            }
            this.tickInterval = tickInterval;
            return this;
        }

        /**
         * Sets how long a run's lease lasts unless renewed (default {@link IntegrationRunner#DEFAULT_LEASE_TTL}); a
         * dead instance's integrations wait this long before another instance runs them.
         *
         * @param leaseTtl at least 3 ms
         * @return this builder
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = requireNonNull(leaseTtl, "leaseTtl is null");
            return this;
        }

        /**
         * Builds the service; nothing runs until {@link CdiService#start()}.
         *
         * @return the service
         * @throws IllegalStateException when the secret key or the sink factory is not set
         */
        public CdiService build() {
            if (secretKey == null) {
                throw new IllegalStateException("secretKey is not set: CDI needs the application's key to encrypt"
                        + " credentials (SecretCipher.fromBase64(...); SecretCipher.generateKey() makes one)");
            }
            if (sinkFactory == null) {
                throw new IllegalStateException("sinkFactory is not set: CDI needs to know where each integration's"
                        + " rows go");
            }
            if (leaseStore == null) {
                leaseStore = new InMemoryLeaseStore(clock);
            }
            return new CdiService(this);
        }
    }
}
