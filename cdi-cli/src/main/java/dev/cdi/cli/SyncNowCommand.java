package dev.cdi.cli;

import dev.cdi.api.RunResult;
import dev.cdi.core.scheduler.IntegrationRunner;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cdi sync-now [--config FILE] NAME}: runs one integration once, now, under its lease, recording the run in the
 * run history; its schedule, if any, does not move.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "sync-now",
        description = "Runs one integration once now, and records the run in the run history.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the run ended SUCCESS or PARTIAL",
            "1:the run ended ERROR, CONFIG_ERROR or LIMIT_EXCEEDED, or another run is in progress",
            "2:a bad command line or configuration file (nothing was read)"})
final class SyncNowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "The integration to run.")
    private String name;

    @Override
    public Integer call() {
        Workspace workspace = config.open();
        IntegrationConfig integration = workspace.config().select(Optional.of(name)).get(0);
        PrintWriter out = spec.commandLine().getOut();
        Optional<RunResult> result;
        try (workspace;
                CliSinks sinks = new CliSinks(workspace.sinks());
                IntegrationRunner runner = workspace.runner(workspace.history(), sinks, Clock.systemUTC())) {
            result = runner.runIfFree(integration.scheduled());
        }
        if (result.isEmpty()) {
            spec.commandLine().getErr().println("cdi: " + name + ": another run is in progress");
            return ErrorHandler.FAILED;
        }
        out.print(RunReport.format(result.get()));
        out.flush();
        return result.get().status().completed() ? 0 : ErrorHandler.FAILED;
    }
}
