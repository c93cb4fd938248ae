package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.ScheduledIntegration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One entry of a configuration file's {@code integrations} list: what to sync and where the rows go.
 *
 * <p>Immutable and thread-safe.
 *
 * @param spec the validated sync spec; its connection settings mask the connector's secret keys
 * @param sink where resolved rows go: a JSON-lines file or Braze
 * @param schedule when {@code cdi run} runs it, if ever (the optional {@code schedule} key)
 * @param zone the time zone the schedule is read in (the optional {@code timeZone} key; UTC by default)
 * @param connectionFiles the local files the connection settings name by key (the connector's settings of type
 *        {@link SettingType#PATH}, such as DuckDB's {@code path}), absolute
 */
record IntegrationConfig(SyncSpec spec, SinkConfig sink, Optional<Schedule> schedule, ZoneId zone,
        Map<String, Path> connectionFiles) {

    private static final List<String> KEYS =
            List.of("name", "connector", "connection", "table", "dataType", "options", "sink", "schedule", "timeZone");
    private static final List<String> OPTION_KEYS =
            List.of("settleLag", "lookback", "updateExistingOnly", "batchSize", "rowLimit");
    private static final ZoneId UTC = ZoneId.of("UTC");

    /** Validates every part. */
    public IntegrationConfig {
        requireNonNull(spec, "spec is null");
        requireNonNull(sink, "sink is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(zone, "zone is null");
        connectionFiles = Map.copyOf(requireNonNull(connectionFiles, "connectionFiles is null"));
    }

    /**
     * The integration's name.
     *
     * @return the name
     */
    String name() {
        return spec.integration();
    }

    /**
     * The JSON-lines file that resolved rows are appended to.
     *
     * @return the file, absolute; empty when the sink is not a file (Braze)
     */
    Optional<Path> sinkFile() {
        return sink.file();
    }

    /**
     * The integration as the scheduler and the integration runner take it.
     *
     * @return the integration, with its schedule, or with the shortest schedule when it has none: only
     *         {@code sync-now} runs an integration without a schedule, and it ignores the schedule
     */
    ScheduledIntegration scheduled() {
        Schedule when = schedule.orElseGet(() -> Schedule.everyMinutes(Schedule.EveryMinutes.MIN_MINUTES));
        return new ScheduledIntegration(spec, when, zone, Optional.empty());
    }

    /**
     * Reads one integration and checks every part of it, the connector's existence included.
     *
     * @param node the entry
     * @param baseDirectory the configuration file's directory, against which relative paths resolve
     * @param connectors the connectors available
     * @param references resolves the references in connection settings, such as <code>${env:NAME}</code>
     * @return the integration
     * @throws ConfigException naming the file, the entry and what is wrong
     */
    static IntegrationConfig parse(ConfigNode node, Path baseDirectory, ConnectorRegistry connectors,
            SecretReferences references) {
        String name = node.requiredText("name");
        ConfigNode entry = node.locatedAs(node.location() + " (" + name + ")");
        entry.allowOnly(KEYS);
        String connector = entry.requiredText("connector");
        SourceConnectorProvider provider = provider(entry, connector, connectors);
        Optional<ConfigNode> connectionNode = entry.optionalObject("connection");
        Map<String, String> connection = connectionNode.map(ConfigNode::scalarEntries).orElseGet(LinkedHashMap::new);
        connectionNode.ifPresent(settings -> connection.replaceAll((key, value) ->
                references.resolve(settings, key, value, provider.secretSettingKeys(), connector)));
        Map<String, Path> connectionFiles = new LinkedHashMap<>();
        for (SettingDefinition definition : provider.settings()) {
            // Resolved against the file's directory, like every path; a value such as DuckDB's :memory: is no file.
            if (definition.type() == SettingType.PATH) {
                connection.computeIfPresent(definition.key(), (key, path) -> {
                    if (path.startsWith(":")) {
                        return path;
                    }
                    Path file = entry.resolvePath("connection." + key, path.strip(), baseDirectory);
                    connectionFiles.put(key, file);
                    return file.toString();
                });
            }
        }
        SyncOptions options = entry.optionalObject("options").map(IntegrationConfig::options)
                .orElse(SyncOptions.defaults());
        DataType dataType = dataType(entry);
        SinkConfig sink = SinkConfig.parse(entry.requiredObject("sink"), dataType, baseDirectory, references);
        Optional<Schedule> schedule = entry.optionalText("schedule").map(text -> schedule(entry, text));
        ZoneId zone = entry.optionalText("timeZone").map(text -> zone(entry, text)).orElse(UTC);
        ConnectorSettings settings = new ConnectorSettings(connection, provider.secretSettingKeys());
        try {
            provider.validate(settings);
        } catch (CdiException invalid) {
            throw entry.error("connection", invalid.getMessage());
        }
        try {
            SyncSpec spec = SyncSpec.builder()
                    .integration(name)
                    .connector(connector, settings)
                    .table(entry.requiredText("table"))
                    .dataType(dataType)
                    .options(options)
                    .build();
            return new IntegrationConfig(spec, sink, schedule, zone, connectionFiles);
        } catch (CdiException invalid) {
            throw entry.error(invalid.getMessage());
        }
    }

    private static SourceConnectorProvider provider(ConfigNode entry, String connector, ConnectorRegistry connectors) {
        try {
            return connectors.provider(connector);
        } catch (CdiException unknown) {
            throw entry.error("connector", unknown.getMessage());
        }
    }

    private static DataType dataType(ConfigNode entry) {
        try {
            return DataType.fromConfigName(entry.requiredText("dataType"));
        } catch (CdiException invalid) {
            throw entry.error(invalid.getMessage());
        }
    }

    private static Schedule schedule(ConfigNode entry, String text) {
        try {
            return Schedule.parse(text);
        } catch (CdiException invalid) {
            throw entry.error("schedule", invalid.getMessage());
        }
    }

    private static ZoneId zone(ConfigNode entry, String text) {
        try {
            return Schedule.parseZone(text);
        } catch (CdiException invalid) {
            throw entry.error("timeZone", invalid.getMessage());
        }
    }

    private static SyncOptions options(ConfigNode node) {
        node.allowOnly(OPTION_KEYS);
        SyncOptions.Builder options = SyncOptions.builder();
        node.optionalText("settleLag").map(text -> duration(node, "settleLag", text)).ifPresent(options::settleLag);
        node.optionalText("lookback").map(text -> duration(node, "lookback", text)).ifPresent(options::lookback);
        node.optionalBoolean("updateExistingOnly").ifPresent(options::updateExistingOnly);
        node.optionalLong("batchSize").ifPresent(size -> setInt(node, "batchSize", size, options::batchSize));
        node.optionalLong("rowLimit").ifPresent(options::rowLimit);
        try {
            return options.build();
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
            throw node.error(key, ConfigNode.echo(text) + " is not an ISO-8601 duration such as PT0S, PT90S, PT5M or PT1H");
        }
    }
}
