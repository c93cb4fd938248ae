package dev.cdi.cli;

import dev.cdi.api.CdiException;
import dev.cdi.api.RowError;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncError;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.validation.RowVerdict;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cdi test [--config FILE] NAME [--rows N]}: tests an integration's connection and table, and previews its first
 * rows with each row's verdict. Reads only the preview and changes nothing.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "test",
        description = "Tests an integration: connects, checks the table and its columns, previews the first rows.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the test passed", "1:the test failed", "2:a bad command line or configuration file"})
final class TestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "The integration to test.")
    private String name;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10", description = "How many rows to preview (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Override
    public Integer call() {
        if (rows < 0) {
            throw new ParameterException(spec.commandLine(), "--rows must not be negative, was " + rows);
        }
        Workspace workspace = config.open();
        IntegrationConfig integration = workspace.config().select(Optional.of(name)).get(0);
        ConnectionTester tester = new ConnectionTester(workspace.connectors());
        SourceConnector connector;
        try {
            connector = workspace.connectors().provider(integration.spec().connector())
                    .open(integration.spec().connectorSettings());
        } catch (CdiException failure) {
            // The tester turns this failure into a result with advice; it tries to open the connector again to do so.
            return print(integration, tester.test(integration.spec()));
        }
        try (SourceConnector open = connector) {
            return print(integration, tester.test(integration.spec(), open, rows));
        }
    }

    private int print(IntegrationConfig integration, ConnectionTestResult result) {
        PrintWriter out = spec.commandLine().getOut();
        if (result instanceof ConnectionTestResult.Failed failed) {
            SyncError error = failed.error();
            out.printf("%s: FAILED (%s) %s: %s%n  advice: %s%n", integration.name(), error.category(), error.code(),
                    oneLine(error.message()), oneLine(failed.advice()));
            out.flush();
            return ErrorHandler.FAILED;
        }
        ConnectionTestResult.Passed passed = (ConnectionTestResult.Passed) result;
        out.printf("%s: PASSED; table %s; columns %s%n", integration.name(), integration.spec().table(),
                passed.schema().columnTypes().entrySet().stream()
                        .map(column -> column.getKey() + " " + column.getValue())
                        .collect(Collectors.joining(", ")));
        passed.costReport().ifPresent(cost -> out.printf("  cost: %s%n", oneLine(cost)));
        out.printf("  %-30s  %-36s  %s%n", "UPDATED_AT", "IDENTIFIER", "VERDICT");
        for (RowVerdict verdict : passed.preview()) {
            out.printf("  %-30s  %-36s  %s%n", updatedAt(verdict), identifier(verdict), verdictText(verdict));
        }
        out.printf("  (%d rows previewed)%n", passed.preview().size());
        out.flush();
        return 0;
    }

    private static String oneLine(String text) {
        // Warehouse messages can span lines (DuckDB points at the SQL); a test result is read line by line.
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String updatedAt(RowVerdict verdict) {
        if (verdict instanceof RowVerdict.Valid valid) {
            return RunReport.instant(Optional.of(valid.row().updatedAt()), "NULL");
        }
        return RunReport.instant(((RowVerdict.Invalid) verdict).error().updatedAt(), "NULL");
    }

    private static String identifier(RowVerdict verdict) {
        if (verdict instanceof RowVerdict.Valid valid) {
            return RunReport.identifier(valid.row().identifier());
        }
        return ((RowVerdict.Invalid) verdict).error().identifier().map(RunReport::identifier).orElse("no identifier");
    }

    private static String verdictText(RowVerdict verdict) {
        if (verdict instanceof RowVerdict.Valid) {
            return "valid";
        }
        RowError error = ((RowVerdict.Invalid) verdict).error();
        return error.code() + ": " + error.message();
    }
}
