package dev.cdi.cli;

import dev.cdi.core.history.RunSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cdi runs [--config FILE] NAME [--limit N] [--json]}: an integration's runs from the run history, newest first.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "runs",
        description = "Lists an integration's runs, newest first: id, status, start, finish, last UPDATED_AT synced, rows synced and failed.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the history cannot be read", "2:a bad command line or configuration file"})
final class RunsCommand implements Callable<Integer> {
    private static final String ROW = "%-36s  %-14s  %-20s  %-20s  %-30s  %11s  %11s%n";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "The integration.")
    private String name;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "The most runs to list (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--json", description = "Print one JSON object per run, one per line (JSON lines), newest first, "
            + "instead of a table; nothing when there are no runs.")
    private boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be positive, was " + limit);
        }
        Workspace workspace = config.open();
        workspace.config().select(Optional.of(name));
        List<RunSummary> runs = workspace.history().runs(name, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            for (RunSummary run : runs) {
                out.println(RunJson.format(run));
            }
            out.flush();
            return 0;
        }
        if (runs.isEmpty()) {
            out.println(name + ": no runs recorded");
            out.flush();
            return 0;
        }
        out.printf(ROW, "RUN", "STATUS", "STARTED", "FINISHED", "LAST UPDATED_AT", "ROWS SYNCED", "ROWS FAILED");
        for (RunSummary run : runs) {
            out.printf(ROW, run.runId(), run.status(), RunReport.seconds(run.startedAt()),
                    run.finishedAt().map(RunReport::seconds).orElse("-"), RunReport.instant(run.lastUpdatedAt(), "-"),
                    run.rowsSynced(), run.rowsFailed());
        }
        out.flush();
        return 0;
    }
}
