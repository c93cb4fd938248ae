package dev.cdi.core.scheduler;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.lease.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs active integrations when their schedules say, on a thread pool, and "sync now" at once without moving the
 * schedule. Every run goes through the {@link IntegrationRunner}, so an integration never runs twice at once; a
 * scheduled run that finds its integration running is skipped, and the next one is planned.
 *
 * <p>A run that was missed (the process was down) happens once on the next tick, not once per missed time.
 * Thread-safe; {@link #start()} once, {@link #close()} to stop (runs in progress finish first, up to a grace
 * period).
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final IntegrationCatalog catalog;
    private final IntegrationRunner runner;
    private final Clock clock;
    private final Duration tickInterval;
    private final ExecutorService runs;
    private final ScheduledExecutorService ticks;
    private final Map<String, Instant> nextRuns = new ConcurrentHashMap<>();

    /**
     * Creates a scheduler; nothing runs until {@link #start()} (or {@link #tick()}).
     *
     * @param catalog where the active integrations are
     * @param runner runs each integration under its lease
     * @param threads how many runs may go on at once
     * @param tickInterval how often due integrations are looked for
     * @param clock the clock schedules are read against
     */
    public Scheduler(IntegrationCatalog catalog, IntegrationRunner runner, int threads, Duration tickInterval,
            Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tickInterval = requireNonNull(tickInterval, "tickInterval is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        AtomicInteger number = new AtomicInteger();
        this.runs = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "cdi-run-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cdi-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts looking for due integrations every tick interval. */
    public void start() {
        ticks.scheduleWithFixedDelay(this::tickQuietly, 0, tickInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts every due integration now: those whose next run time has come. The first time an integration is seen,
     * its next run is planned, not started.
     */
    public void tick() {
        Instant now = clock.instant();
        Set<String> active = new HashSet<>();
        for (ScheduledIntegration integration : catalog.active()) {
            active.add(integration.name());
            Instant next = nextRuns.computeIfAbsent(integration.name(),
                    name -> integration.schedule().nextRunAfter(now, integration.zone()));
            if (next.isAfter(now)) {
                continue;
            }
            nextRuns.put(integration.name(), integration.schedule().nextRunAfter(now, integration.zone()));
            if (start(integration) == TriggerResult.ANOTHER_RUN_IN_PROGRESS) {
                log.info("[{}] Scheduled run at {} skipped: another run is in progress", integration.name(), next);
            }
        }
        nextRuns.keySet().retainAll(active);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // The next tick tries again; a failing catalog must not stop the schedule for good.
            log.warn("Scheduler tick failed: {}", e.toString(), e);
        }
    }

    /**
     * Runs an integration at once, without moving its schedule.
     *
     * @param integration the integration's name
     * @return whether the run started, another is in progress, or there is no such active integration
     */
    public TriggerResult syncNow(String integration) {
        Optional<ScheduledIntegration> found = catalog.find(integration);
        return found.isEmpty() ? TriggerResult.NOT_FOUND : start(found.get());
    }

    /**
     * When each active integration runs next, as far as this scheduler has planned.
     *
     * @return the next run time by integration name
     */
    public Map<String, Instant> nextRuns() {
        return Map.copyOf(nextRuns);
    }

    private TriggerResult start(ScheduledIntegration integration) {
        Optional<Lease> lease = runner.acquire(integration);
        if (lease.isEmpty()) {
            return TriggerResult.ANOTHER_RUN_IN_PROGRESS;
        }
        runs.execute(() -> {
            try {
                runner.run(integration, lease.get());
            } catch (RuntimeException e) {
                log.error("[{}] Run failed unexpectedly", integration.name(), e);
            }
        });
        return TriggerResult.ACCEPTED;
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        runs.shutdown();
        try {
            if (!runs.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                runs.shutdownNow();
            }
        } catch (InterruptedException e) {
            runs.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
