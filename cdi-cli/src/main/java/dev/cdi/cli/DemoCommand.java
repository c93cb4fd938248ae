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
import picocli.CommandLine.Mixin;
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
    /** Set by the repository's {@code cdi} script to its own path, so that the closing text shows how to run it. */
    static final String COMMAND_VARIABLE = "CDI_COMMAND";

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIRECTORY,
            description = "Where the demo's files live (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(names = "--add", paramLabel = "N", defaultValue = "0",
            description = "First insert N new or changed user attributes stamped now (0 to " + MAX_ADD + ").")
    private int add;

    @Mixin
    private ProgressOption progress;

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
            exitCode = runner.runAll(config.select(Optional.empty()), out, RunReport::format, progress.enabled(false));
        }
        out.println("Synced rows are appended, one JSON object a line, to " + config.integrations().stream()
                .flatMap(integration -> integration.sinkFile().stream())
                .map(file -> shown(file).toString())
                .collect(Collectors.joining(", ")) + ".");
        out.print(nextSteps(configFile));
        out.flush();
        return exitCode;
    }

    /**
     * The closing text: how to run the demo again, and how the commands that follow find its configuration without
     * {@code --config}, from the demo directory where it is {@code ./cdi.yaml}.
     */
    private String nextSteps(Path configFile) {
        CliEnvironment environment = Cdi.environment(spec);
        Path here = environment.workingDirectory().toAbsolutePath().normalize();
        Path demoDirectory = directory.toAbsolutePath().normalize();
        String demo = command(environment, here) + " demo"
                + (directory.equals(Path.of(DEFAULT_DIRECTORY)) ? "" : " --dir " + directory);
        String cdi = command(environment, demoDirectory);
        StringBuilder text = new StringBuilder();
        text.append("Next: '").append(demo).append("' again reads only what changed; '").append(demo)
                .append(" --add 100' adds 100 rows first.").append(System.lineSeparator());
        text.append("The other commands read ./").append(ConfigOption.DEFAULT_FILE).append(" (or $")
                .append(ConfigOption.VARIABLE).append(") when --config is not given, so from the demo directory:")
                .append(System.lineSeparator());
        String[][] lines = {
            {cdi + " sync --json", "the same sync, printed as JSON"},
            {cdi + " integrations", "the integrations and their watermarks"},
            {cdi + " runs attributes", "the runs of an integration"},
            {cdi + " errors RUN_ID", "why the rows of a run that 'runs' lists failed"}};
        if (!demoDirectory.equals(here)) {
            text.append("  cd ").append(shown(demoDirectory)).append(System.lineSeparator());
        }
        int width = 0;
        for (String[] line : lines) {
            width = Math.max(width, line[0].length());
        }
        for (String[] line : lines) {
            text.append("  ").append(line[0]).append(" ".repeat(width - line[0].length() + 3)).append(line[1])
                    .append(System.lineSeparator());
        }
        text.append("(or from here, without cd: ").append(ConfigOption.VARIABLE).append('=').append(shown(configFile
                .toAbsolutePath().normalize())).append(' ').append(command(environment, here)).append(" sync)")
                .append(System.lineSeparator());
        return text.toString();
    }

    /**
     * How the user runs {@code cdi} from a directory: {@code cdi}, or the repository's {@code ./cdi} script by a
     * path relative to that directory (the script sets {@value #COMMAND_VARIABLE} to its own path).
     */
    static String command(CliEnvironment environment, Path from) {
        Optional<String> command = environment.variable(COMMAND_VARIABLE);
        if (command.isEmpty() || !command.get().contains("/")) {
            return command.orElse("cdi");
        }
        Path script = Path.of(command.get()).toAbsolutePath().normalize();
        String relative = from.relativize(script).toString();
        if (relative.startsWith("../../")) {
            // Far away, a relative path is harder to read than the absolute one.
            return script.toString();
        }
        return relative.contains("/") ? relative : "./" + relative;
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
