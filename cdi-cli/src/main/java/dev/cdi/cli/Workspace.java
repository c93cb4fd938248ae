package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.FileRunHistory;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.state.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the commands beyond {@code sync} share: the checked configuration file, its connectors, its watermarks
 * (the state directory) and its run history ({@code history} in the state directory).
 *
 * <p>Not thread-safe to build; its parts are thread-safe.
 *
 * @param config the configuration file
 * @param connectors the connectors
 * @param engine the sync engine on the file's state directory
 * @param history the run history in the file's state directory
 */
record Workspace(ConfigFile config, ConnectorRegistry connectors, SyncEngine engine, FileRunHistory history)
        implements AutoCloseable {

    /** Validates every part. */
    Workspace {
        requireNonNull(config, "config is null");
        requireNonNull(connectors, "connectors is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(history, "history is null");
    }

    /**
     * Reads and checks a configuration file and opens its state and history directories.
     *
     * @param file the configuration file
     * @return the workspace
     * @throws ConfigException when the file is wrong
     */
    static Workspace open(Path file) {
        ConnectorRegistry connectors = CliConnectors.discover();
        ConfigFile config = ConfigFile.load(file, connectors);
        SyncEngine engine = SyncEngine.builder()
                .stateStore(new FileStateStore(config.stateDirectory()))
                .connectors(connectors)
                .build();
        return new Workspace(config, connectors, engine, new FileRunHistory(config.historyDirectory()));
    }

    /** Closes the connectors the engine kept open, such as a DuckDB file's database and its lock. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Each integration's sink by name.
     *
     * @return the sinks' configurations
     */
    Map<String, SinkConfig> sinks() {
        Map<String, SinkConfig> sinks = new LinkedHashMap<>();
        config.integrations().forEach(integration -> sinks.put(integration.name(), integration.sink()));
        return sinks;
    }

    /**
     * A runner whose leases hold the integrations' file locks in the state directory, so that its runs exclude
     * those of other {@code cdi} processes too.
     *
     * @param recordTo where the runs are recorded
     * @param sinks gives each run its sink
     * @param clock the clock
     * @return the runner; close it
     */
    IntegrationRunner runner(RunHistory recordTo, CliSinks sinks, Clock clock) {
        return IntegrationRunner.builder(engine)
                .leases(new LockingLeaseStore(new InMemoryLeaseStore(clock), new IntegrationLocks(config.stateDirectory())))
                .history(recordTo)
                .sinks(sinks)
                .clock(clock)
                .build();
    }
}
