package dev.cdi.core.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors an engine keeps open across runs: one per connector name and connection settings, shared by the
 * runs that use them (connectors are thread-safe), counted while in use, and closed once no run has used them for
 * the idle timeout (by the engine's clock), when found unhealthy or discarded after a failure, and on
 * {@link #close()}. A connector is never closed while a run holds it: one retired in use closes when its last run
 * releases it.
 *
 * <p>Idle connectors are checked when a connector is acquired or released and by a shared daemon task. An engine
 * that is never closed leaves its last connectors to that task; once the engine is garbage collected they are
 * left to the JVM's exit.
 *
 * <p>Thread-safe. {@link #close()} may be called more than once; after it each acquisition opens a connector for
 * that run alone, closed when released.
 */
public final class ConnectorCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCache.class);
    private static final Duration LONGEST_CHECK_PERIOD = Duration.ofMinutes(1);
    private static final Duration SHORTEST_CHECK_PERIOD = Duration.ofSeconds(1);
    private static final ScheduledExecutorService IDLE_CHECKS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "cdi-connector-idle-check");
        thread.setDaemon(true);
        return thread;
    });

    private final Clock clock;
    private final Duration idleTimeout;
    // Guarded by this, as are the users, idleSince and retired fields of every entry.
    private final Map<Key, Entry> entries = new HashMap<>();
    private boolean closed;
    private ScheduledFuture<?> idleCheck;

    /**
     * Creates an empty cache.
     *
     * @param clock the clock the idle timeout is measured on
     * @param idleTimeout how long a connector no run uses stays open; positive
     */
    public ConnectorCache(Clock clock, Duration idleTimeout) {
        this.clock = requireNonNull(clock, "clock is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
    }

    /**
     * Takes the open connector for these settings, opening one when there is none or the cached one is unhealthy.
     *
     * @param provider the connector's provider
     * @param settings the connection settings
     * @return the connector, held until {@link Lease#release} is called once
     * @throws dev.cdi.api.CdiException when the provider cannot open a connector
     */
    public Lease acquire(SourceConnectorProvider provider, ConnectorSettings settings) {
        requireNonNull(provider, "provider is null");
        requireNonNull(settings, "settings is null");
        closeIdle();
        Key key = new Key(provider.name(), settings.values());
        Entry entry = enter(key);
        SourceConnector connector = open(entry, provider, settings);
        if (!healthy(connector)) {
            LOG.debug("A cached {} connector is unhealthy; opening a new one", key.connector());
            retire(entry);
            leave(entry);
            entry = enter(key);
            connector = open(entry, provider, settings);
        }
        return new Lease(entry, connector);
    }

    /**
     * Closes the connectors no run has used for the idle timeout.
     */
    public void closeIdle() {
        List<Entry> idle = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Iterator<Entry> iterator = entries.values().iterator(); iterator.hasNext(); ) {
                Entry entry = iterator.next();
                if (entry.users == 0 && !now.isBefore(entry.idleSince.plus(idleTimeout))) {
                    iterator.remove();
                    entry.retired = true;
                    idle.add(entry);
                }
            }
        }
        idle.forEach(entry -> closeConnector(entry, "idle for " + idleTimeout));
    }

    /**
     * How many connectors are cached, in use or idle.
     *
     * @return the count
     */
    public synchronized int size() {
        return entries.size();
    }

    /** Closes every idle connector now, and each one in use when its run releases it. */
    @Override
    public void close() {
        List<Entry> idle = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            for (Entry entry : entries.values()) {
                entry.retired = true;
                if (entry.users == 0) {
                    idle.add(entry);
                }
            }
            entries.clear();
        }
        idle.forEach(entry -> closeConnector(entry, "the engine closed"));
    }

    private synchronized Entry enter(Key key) {
        Entry entry = closed ? null : entries.get(key);
        if (entry == null) {
            entry = new Entry(key);
            if (closed) {
                entry.retired = true;
            } else {
                entries.put(key, entry);
                scheduleIdleCheck();
            }
        }
        entry.users++;
        return entry;
    }

    private SourceConnector open(Entry entry, SourceConnectorProvider provider, ConnectorSettings settings) {
        try {
            // Runs wanting the same settings wait for one opening rather than each opening a pool or tunnel.
            synchronized (entry) {
                if (entry.connector == null) {
                    entry.connector = requireNonNull(provider.open(settings), "provider opened null");
                    LOG.debug("Opened a {} connector, kept for later runs", entry.key.connector());
                }
                return entry.connector;
            }
        } catch (RuntimeException e) {
            retire(entry);
            leave(entry);
            throw e;
        }
    }

    private synchronized void retire(Entry entry) {
        entry.retired = true;
        entries.remove(entry.key, entry);
    }

    private void leave(Entry entry) {
        boolean close;
        synchronized (this) {
            entry.users--;
            entry.idleSince = clock.instant();
            close = entry.users == 0 && entry.retired;
        }
        if (close) {
            closeConnector(entry, "discarded");
        }
    }

    private static boolean healthy(SourceConnector connector) {
        try {
            return connector.isHealthy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void closeConnector(Entry entry, String why) {
        SourceConnector connector;
        synchronized (entry) {
            connector = entry.connector;
            entry.connector = null;
        }
        if (connector == null) {
            return;
        }
        try {
            connector.close();
            LOG.debug("Closed a {} connector: {}", entry.key.connector(), why);
        } catch (RuntimeException e) {
            LOG.warn("Closing a {} connector ({}) failed; it is dropped anyway", entry.key.connector(), why, e);
        }
    }

    private void scheduleIdleCheck() {
        if (idleCheck != null) {
            return;
        }
        long period = Math.max(SHORTEST_CHECK_PERIOD.toMillis(),
                Math.min(LONGEST_CHECK_PERIOD.toMillis(), idleTimeout.toMillis() / 2));
        // A weak reference, so that an engine its caller dropped without closing can still be garbage collected.
        WeakReference<ConnectorCache> cache = new WeakReference<>(this);
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        Runnable check = () -> {
            ConnectorCache alive = cache.get();
            if (alive == null) {
                ScheduledFuture<?> future = self.get();
                if (future != null) {
                    future.cancel(false);
                }
                return;
            }
            try {
                alive.closeIdle();
            } catch (RuntimeException e) {
                LOG.warn("Checking for idle connectors failed", e);
            }
        };
        idleCheck = IDLE_CHECKS.scheduleWithFixedDelay(check, period, period, TimeUnit.MILLISECONDS);
        self.set(idleCheck);
    }

    /**
     * One run's hold on a cached connector. Not thread-safe: released once, by the run's thread.
     */
    public final class Lease {
        private final Entry entry;
        private final SourceConnector connector;
        private boolean released;

        private Lease(Entry entry, SourceConnector connector) {
            this.entry = entry;
            this.connector = connector;
        }

        /**
         * The connector.
         *
         * @return the open connector, valid until released
         */
        public SourceConnector connector() {
            return connector;
        }

        /**
         * Ends the run's hold; later calls do nothing.
         *
         * @param discard whether the connector must not serve later runs (its run failed to connect or to log
         *        in): it is closed as soon as no run uses it
         */
        public void release(boolean discard) {
            if (released) {
                return;
            }
            released = true;
            if (discard) {
                retire(entry);
            }
            leave(entry);
            closeIdle();
        }
    }

    /** The cache key; its text shows the connector's name only, never the settings, which may hold secrets. */
    private record Key(String connector, Map<String, String> settings) {
        @Override
        public String toString() {
            return "Key[" + connector + "]";
        }
    }

    private static final class Entry {
        private final Key key;
        // Guarded by this entry: set once when opened, cleared when closed.
        private SourceConnector connector;
        private int users;
        private Instant idleSince;
        private boolean retired;

        private Entry(Key key) {
            this.key = key;
        }
    }
}
