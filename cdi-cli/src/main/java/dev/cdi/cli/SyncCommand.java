package dev.cdi.cli;

import dev.cdi.core.ConnectorRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdi sync [--config FILE] [--integration NAME] [--json] [--[no-]progress]}: runs each integration of a
 * configuration file once (SPEC section 12). The whole file is checked before any row is read.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "sync",
        description = "Runs each integration of a configuration file once, or only the one named.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every run ended SUCCESS or PARTIAL",
            "1:a run ended ERROR, CONFIG_ERROR or LIMIT_EXCEEDED",
            "2:a bad command line or configuration file (nothing was read)"})
final class SyncCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--integration", paramLabel = "NAME", description = "Run only this integration.")
    private Optional<String> integration = Optional.empty();

    @Option(names = "--json", description = "Print one JSON object per run, one per line, instead of a summary.")
    private boolean json;

    @Mixin
    private ProgressOption progress;

    @Override
    public Integer call() {
        ConnectorRegistry connectors = CliConnectors.discover();
        ConfigFile file = ConfigFile.load(config.file(), connectors);
        List<IntegrationConfig> selected = file.select(integration);
        try (SyncRunner runner = new SyncRunner(file, connectors)) {
            return runner.runAll(selected, spec.commandLine().getOut(), json ? RunJson::format : RunReport::format,
                    progress.enabled(json));
        }
    }
}
