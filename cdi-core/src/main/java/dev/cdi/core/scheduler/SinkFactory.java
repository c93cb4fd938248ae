package dev.cdi.core.scheduler;

import dev.cdi.api.RowSink;

/**
 * Gives the sink for a run of an integration. Called once per run, on the run's thread; must be thread-safe.
 */
@FunctionalInterface
public interface SinkFactory {

    /**
     * The sink that receives this run's rows.
     *
     * @param integration the integration about to run
     * @return its sink
     */
    RowSink sinkFor(ScheduledIntegration integration);
}
