package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RowSink;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.scheduler.SinkFactory;
import dev.cdi.core.sink.JsonLinesSink;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each run's JSON-lines sink, the integration's {@code sink.jsonl} file, and closes it when told the run
 * ended. A lease lets one run per integration go at a time, so one open sink per integration is enough.
 *
 * <p>Thread-safe.
 */
final class JsonLinesSinks implements SinkFactory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesSinks.class);

    private final Map<String, Path> files;
    private final Map<String, JsonLinesSink> open = new ConcurrentHashMap<>();

    /**
     * Creates the factory.
     *
     * @param files each integration's sink file by name
     */
    JsonLinesSinks(Map<String, Path> files) {
        this.files = Map.copyOf(requireNonNull(files, "files is null"));
    }

    @Override
    public RowSink sinkFor(ScheduledIntegration integration) {
        Path file = files.get(integration.name());
        if (file == null) {
            throw new IllegalArgumentException("no sink file for integration " + integration.name());
        }
        // A run that threw before its end was recorded leaves its sink open: close it now.
        close(integration.name());
        JsonLinesSink sink = new JsonLinesSink(file);
        open.put(integration.name(), sink);
        return sink;
    }

    /**
     * Closes an integration's sink, if open.
     *
     * @param integration the integration's name
     */
    void close(String integration) {
        JsonLinesSink sink = open.remove(integration);
        if (sink == null) {
            return;
        }
        try {
            sink.close();
        } catch (UncheckedIOException e) {
            // Every acknowledged batch was already forced to disk, so the run's result still holds.
            log.warn("[{}] Cannot close the sink file {}: {}", integration, sink.file(), e.getCause().toString());
        }
    }

    @Override
    public void close() {
        for (String integration : open.keySet()) {
            close(integration);
        }
    }
}
