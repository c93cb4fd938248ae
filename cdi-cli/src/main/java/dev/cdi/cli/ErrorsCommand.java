package dev.cdi.cli;

import dev.cdi.api.RowError;
import dev.cdi.core.history.RecordedRowError;
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
 * {@code cdi errors [--config FILE] RUN_ID [--json]}: a run's row errors from the run history, in the order the
 * run reported them.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "errors",
        description = "Lists a run's row errors: code, message, identifier, UPDATED_AT.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:the history cannot be read",
            "2:a bad command line or configuration file, or no such run"})
final class ErrorsCommand implements Callable<Integer> {
    private static final int PAGE = 500;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(paramLabel = "RUN_ID", description = "The run, as 'cdi runs' lists it.")
    private String runId;

    @Option(names = "--json", description = "Print one JSON object per row error, one per line (JSON lines), in the "
            + "order the run reported them, and no closing count.")
    private boolean json;

    @Override
    public Integer call() {
        Workspace workspace = config.open();
        Optional<RunSummary> run = workspace.history().run(runId);
        if (run.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no run with id '" + runId
                    + "' in the run history (it may have been pruned); 'cdi runs' lists them");
        }
        PrintWriter out = spec.commandLine().getOut();
        int offset = 0;
        List<RecordedRowError> page;
        do {
            page = workspace.history().rowErrors(runId, offset, PAGE);
            for (RecordedRowError recorded : page) {
                if (json) {
                    out.println(RunJson.format(recorded));
                    continue;
                }
                RowError error = recorded.error();
                out.printf("%s: %s [%s, UPDATED_AT %s]%n", error.code(), error.message(),
                        error.identifier().map(RunReport::identifier).orElse("no identifier"),
                        RunReport.instant(error.updatedAt(), "NULL"));
            }
            offset += page.size();
        } while (page.size() == PAGE);
        if (json) {
            out.flush();
            return 0;
        }
        out.printf("%s (%s, %s): %d row errors listed%s%n", runId, run.get().integration(), run.get().status(), offset,
                offset < run.get().rowsFailed() ? " of " + run.get().rowsFailed() + " (older detail is pruned)" : "");
        out.flush();
        return 0;
    }
}
