package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import java.time.Duration;
import java.time.Instant;

/**
 * Hears about runs as they happen, for metrics, tracing or logging; register one with
 * {@link SyncEngine.Builder#listener} or {@link dev.cdi.core.service.CdiService.Builder#listener}.
 *
 * <p>Every method does nothing by default, so a listener overrides only what it needs and the interface can grow.
 * Methods are called on the run's thread, synchronously, so they must return quickly; an exception they throw is
 * logged and never fails the run. Implementations must be thread-safe: runs of different integrations call them at
 * once. For one run, {@link #runStarted} is called once first and {@link #runEnded} once last.
 */
public interface RunListener {

    /** A listener that does nothing. */
    RunListener NONE = new RunListener() {
    };

    /**
     * A run started.
     *
     * @param run the run
     */
    default void runStarted(Run run) {
    }

    /**
     * The run read the warehouse's clock, which bounds the rows it reads (minus the settle lag). Called at most once
     * per run, not at all when the run fails before.
     *
     * @param run the run
     * @param warehouseTime the warehouse's current time
     */
    default void warehouseTimeRead(Run run, Instant warehouseTime) {
    }

    /**
     * The sink acknowledged a batch.
     *
     * @param run the run
     * @param rows the rows in the batch
     * @param latency from the first attempt to hand the batch to the sink until it answered, retries included
     * @param retries how many attempts failed before the one that succeeded
     */
    default void batchDelivered(Run run, int rows, Duration latency, int retries) {
    }

    /**
     * A run ended, whatever its status.
     *
     * @param run the run
     * @param result how it ended
     */
    default void runEnded(Run run, RunResult result) {
    }

    /**
     * The run a listener hears about. Immutable and thread-safe.
     *
     * @param runId the run's unique id
     * @param integration the integration's name
     * @param connector the connector's name
     */
    record Run(String runId, String integration, String connector) {

        /** Checks every part. */
        public Run {
            requireNonNull(runId, "runId is null");
            requireNonNull(integration, "integration is null");
            requireNonNull(connector, "connector is null");
        }
    }
}
