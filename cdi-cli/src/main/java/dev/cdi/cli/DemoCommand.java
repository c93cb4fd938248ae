package dev.cdi.cli;

import dev.cdi.core.ConnectorRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cdi demo [--dir DIR] [--add N]}: creates (or reuses) a sample DuckDB warehouse and its configuration file,
 * then syncs every integration exactly as {@code cdi sync --config DIR/cdi.yaml} would. A second run reads only
 * what changed; {@code --add N} first inserts N new or changed rows.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "demo",
        description = {
            "Syncs a sample DuckDB warehouse into local JSON-lines files, with no set-up.",
            "Creates DIR/warehouse.duckdb and DIR/cdi.yaml when missing, then syncs every integration of DIR/cdi.yaml "
                    + "as 'cdi sync --config DIR/cdi.yaml' does. Run it again to read only what changed."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false)
final class DemoCommand implements Callable<Integer> {
    static final int MAX_ADD = 1_000_000;
    static final String DEFAULT_DIRECTORY = "./cdi-demo";

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIRECTORY,
            description = "Where the demo's files live (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(names = "--add", paramLabel = "N", defaultValue = "0",
            description = "First insert N new or changed user attributes stamped now (0 to " + MAX_ADD + ").")
    private int add;

    @Override
    public Integer call() {
        if (add < 0 || add > MAX_ADD) {
            throw new ParameterException(spec.commandLine(), "--add must be between 0 and " + MAX_ADD + ", was " + add);
        }
        PrintWriter out = spec.commandLine().getOut();
        createDirectory();
        Path warehouseFile = directory.resolve(DemoConfig.WAREHOUSE_FILE);
        DemoWarehouse warehouse = new DemoWarehouse(warehouseFile);
        int created = warehouse.createMissingTables();
        if (created > 0) {
            out.println("Created the sample warehouse " + warehouseFile + " (" + created + " rows in "
                    + DemoWarehouse.ATTRIBUTES_TABLE + ", " + DemoWarehouse.EVENTS_TABLE + " and "
                    + DemoWarehouse.PURCHASES_TABLE + ").");
        } else {
            out.println("Using the sample warehouse " + warehouseFile + ".");
        }
        if (add > 0) {
            warehouse.addAttributeChanges(add, Instant.now());
            out.println("Added " + add + " new or changed rows to " + DemoWarehouse.ATTRIBUTES_TABLE + ", stamped now.");
        }
        Path configFile = directory.resolve(DemoConfig.CONFIG_FILE);
        out.println((DemoConfig.writeIfAbsent(configFile) ? "Wrote " : "Using ") + configFile + ".");
        ConnectorRegistry connectors = CliConnectors.discover();
        ConfigFile config = ConfigFile.load(configFile, connectors);
        out.println("Syncing " + config.integrations().size() + " integrations:");
        out.flush();
        int exitCode;
        try (SyncRunner runner = new SyncRunner(config, connectors)) {
            exitCode = runner.runAll(config.select(Optional.empty()), out, RunReport::format);
        }
        out.println("Synced rows are appended, one JSON object a line, to " + config.integrations().stream()
                .flatMap(integration -> integration.sinkFile().stream())
                .map(file -> shown(file).toString())
                .collect(Collectors.joining(", ")) + ".");
        String demo = "cdi demo" + (directory.equals(Path.of(DEFAULT_DIRECTORY)) ? "" : " --dir " + directory);
        out.println("Next: '" + demo + "' again reads only what changed; '" + demo + " --add 100' adds 100 rows first; "
                + "'cdi sync --config " + configFile + " --json' runs the same sync with JSON output.");
        return exitCode;
    }

    /** A path under the current directory is shown relative to it, as the user would type it. */
    private static Path shown(Path path) {
        Path current = Path.of("").toAbsolutePath();
        return path.startsWith(current) ? current.relativize(path) : path;
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the demo directory " + directory, e);
        }
    }
}
