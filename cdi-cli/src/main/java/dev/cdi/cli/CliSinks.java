package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RowSink;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.scheduler.SinkFactory;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each run's sink, the integration's {@code sink.jsonl} file or {@code sink.braze} REST API, and closes it when
 * told the run ended. A lease lets one run per integration go at a time, so one open sink per integration is enough.
 *
 * <p>Thread-safe.
 */
final class CliSinks implements SinkFactory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CliSinks.class);

    private final Map<String, SinkConfig> sinks;
    private final Map<String, RowSink> open = new ConcurrentHashMap<>();

    /**
     * Creates the factory.
     *
     * @param sinks each integration's sink by name
     */
    CliSinks(Map<String, SinkConfig> sinks) {
        this.sinks = Map.copyOf(requireNonNull(sinks, "sinks is null"));
    }

    @Override
    public RowSink sinkFor(ScheduledIntegration integration) {
        SinkConfig config = sinks.get(integration.name());
        if (config == null) {
            throw new IllegalArgumentException("no sink for integration " + integration.name());
        }
        // A run that threw before its end was recorded leaves its sink open: close it now.
        close(integration.name());
        RowSink sink = config.open(integration.name());
        open.put(integration.name(), sink);
        return sink;
    }

    /**
     * Closes an integration's sink, if open.
     *
     * @param integration the integration's name
     */
    void close(String integration) {
        RowSink sink = open.remove(integration);
        if (sink == null) {
            return;
        }
        try {
            sinks.get(integration).close(sink);
        } catch (UncheckedIOException e) {
            // Every acknowledged batch was already forced to disk, so the run's result still holds.
            log.warn("[{}] Cannot close the sink {}: {}", integration, sink, e.getCause().toString());
        }
    }

    @Override
    public void close() {
        for (String integration : open.keySet()) {
            close(integration);
        }
    }
}
