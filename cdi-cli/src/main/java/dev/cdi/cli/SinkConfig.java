package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.RowSink;
import dev.cdi.braze.BrazeSink;
import dev.cdi.braze.BrazeSinkConfig;
import dev.cdi.core.sink.JsonLinesSink;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An integration's {@code sink} block: exactly one of {@code jsonl: FILE} (one JSON object a line) or
 * {@code braze: {endpoint, apiKey, ...}} (Braze's REST API).
 *
 * <p>Immutable and thread-safe.
 */
sealed interface SinkConfig {
    /** The keys of a {@code sink} block. */
    List<String> KEYS = List.of("jsonl", "braze");
    /** The keys of a {@code sink.braze} block. */
    List<String> BRAZE_KEYS = List.of("endpoint", "apiKey", "catalogName", "trackObjectsPerRequest", "maxRequestsInFlight", "maxAttempts",
            "initialBackoff", "maxBackoff", "maxRateLimitWaits", "maxRateLimitWait", "requestTimeout", "connectTimeout");

    /**
     * Opens a sink for one run; the caller closes it with {@link #close}.
     *
     * @param integration the integration's name, for log lines
     * @return the sink
     * @throws UncheckedIOException when a JSON-lines file cannot be opened
     */
    RowSink open(String integration);

    /**
     * Closes a sink this config opened.
     *
     * @param sink the sink
     * @throws UncheckedIOException when a JSON-lines file cannot be closed
     */
    void close(RowSink sink);

    /**
     * Where rows are appended, for a JSON-lines sink.
     *
     * @return the file, absolute; empty for other sinks
     */
    default Optional<Path> file() {
        return Optional.empty();
    }

    /**
     * A JSON-lines file.
     *
     * @param path the file, absolute
     */
    record JsonLines(Path path) implements SinkConfig {
        /** Validates the path. */
        public JsonLines {
            requireNonNull(path, "path is null");
        }

        @Override
        public RowSink open(String integration) {
            return new JsonLinesSink(path);
        }

        @Override
        public void close(RowSink sink) {
            ((JsonLinesSink) sink).close();
        }

        @Override
        public Optional<Path> file() {
            return Optional.of(path);
        }
    }

    /**
     * Braze's REST API.
     *
     * @param settings the sink's settings; the API key is resolved
     */
    record Braze(BrazeSinkConfig settings) implements SinkConfig {
        /** Validates the settings. */
        public Braze {
            requireNonNull(settings, "settings is null");
        }

        @Override
        public RowSink open(String integration) {
            return new BrazeSink(settings, integration);
        }

        @Override
        public void close(RowSink sink) {
            // The HTTP client holds no resource that outlives its requests.
        }
    }

    /**
     * Reads a {@code sink} block.
     *
     * @param sink the block
     * @param dataType the integration's data type (a catalog needs {@code catalogName})
     * @param baseDirectory against which a relative file resolves
     * @param references resolves a reference in {@code apiKey}
     * @return the sink's configuration
     * @throws ConfigException naming what is wrong
     */
    static SinkConfig parse(ConfigNode sink, DataType dataType, Path baseDirectory, SecretReferences references) {
        sink.allowOnly(KEYS);
        Optional<String> jsonl = sink.optionalText("jsonl");
        Optional<ConfigNode> braze = sink.optionalObject("braze");
        if (jsonl.isPresent() == braze.isPresent()) {
            throw sink.error("give exactly one sink: jsonl (a file) or braze (Braze's REST API)");
        }
        if (jsonl.isPresent()) {
            Path file = sink.resolvePath("jsonl", jsonl.get(), baseDirectory);
            if (Files.isDirectory(file)) {
                throw sink.error("jsonl", file + " is a directory, not a file");
            }
            return new JsonLines(file);
        }
        return braze(braze.get(), dataType, references);
    }

    private static SinkConfig braze(ConfigNode node, DataType dataType, SecretReferences references) {
        node.allowOnly(BRAZE_KEYS);
        BrazeSinkConfig.Builder builder = BrazeSinkConfig.builder();
        try {
            builder.endpoint(node.requiredText("endpoint"));
            builder.apiKey(references.resolve(node, "apiKey", node.requiredText("apiKey"), Set.of("apiKey"),
                    "the braze sink"));
            node.optionalText("catalogName").ifPresent(builder::catalogName);
            node.optionalLong("trackObjectsPerRequest").ifPresent(value -> setInt(node, "trackObjectsPerRequest", value,
                    builder::trackObjectsPerRequest));
            node.optionalLong("maxRequestsInFlight").ifPresent(value -> setInt(node, "maxRequestsInFlight", value,
                    builder::maxRequestsInFlight));
            node.optionalLong("maxAttempts").ifPresent(value -> setInt(node, "maxAttempts", value, builder::maxAttempts));
            node.optionalLong("maxRateLimitWaits").ifPresent(value -> setInt(node, "maxRateLimitWaits", value,
                    builder::maxRateLimitWaits));
            node.optionalText("initialBackoff").ifPresent(text -> builder.initialBackoff(duration(node, "initialBackoff", text)));
            node.optionalText("maxBackoff").ifPresent(text -> builder.maxBackoff(duration(node, "maxBackoff", text)));
            node.optionalText("maxRateLimitWait").ifPresent(text -> builder.maxRateLimitWait(duration(node,
                    "maxRateLimitWait", text)));
            node.optionalText("requestTimeout").ifPresent(text -> builder.requestTimeout(duration(node, "requestTimeout",
                    text)));
            node.optionalText("connectTimeout").ifPresent(text -> builder.connectTimeout(duration(node, "connectTimeout",
                    text)));
            BrazeSinkConfig settings = builder.build();
            if (dataType == DataType.CATALOG && settings.catalogName().isEmpty()) {
                throw node.error("catalogName", "is required for a catalog integration: the Braze catalog its rows go to");
            }
            return new Braze(settings);
        } catch (CdiException invalid) {
            throw node.error(invalid.getMessage());
        }
    }

    private static void setInt(ConfigNode node, String key, long value, Consumer<Integer> setter) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw node.error(key, value + " is out of range");
        }
        setter.accept((int) value);
    }

    private static Duration duration(ConfigNode node, String key, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw node.error(key, ConfigNode.echo(text) + " is not an ISO-8601 duration such as PT0.5S, PT30S or PT2M");
        }
    }
}
