package dev.cdi.cli;

import dev.cdi.api.Watermark;
import dev.cdi.core.history.RunSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cdi integrations [--config FILE]}: one line per integration of a configuration file, with its schedule, its
 * last run, its next scheduled run and the last {@code UPDATED_AT} synced.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "integrations",
        description = "Lists the integrations of a configuration file: schedule, last run, next run, last UPDATED_AT synced.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the state or history cannot be read", "2:a bad command line or configuration file"})
final class IntegrationsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() {
        Workspace workspace = config.open();
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        for (IntegrationConfig integration : workspace.config().integrations()) {
            List<RunSummary> last = workspace.history().runs(integration.name(), 1);
            String lastRun = last.isEmpty() ? "never" : last.get(0).status() + " at " + RunReport.seconds(last.get(0).startedAt());
            String next = integration.schedule()
                    .map(schedule -> RunReport.seconds(schedule.nextRunAfter(now, integration.zone())))
                    .orElse("\u2014");
            Optional<Instant> synced = workspace.engine().watermark(integration.name()).map(Watermark::updatedAt);
            out.printf("%s: %s %s (%s); %s; last run %s; next run %s; last UPDATED_AT synced %s%n",
                    integration.name(), integration.spec().connector(), integration.spec().table(),
                    integration.spec().dataType().configName(),
                    integration.schedule().map(schedule -> schedule + " (" + integration.zone().getId() + ")")
                            .orElse("no schedule"),
                    lastRun, next, RunReport.instant(synced, "none"));
        }
        out.flush();
        return 0;
    }
}
