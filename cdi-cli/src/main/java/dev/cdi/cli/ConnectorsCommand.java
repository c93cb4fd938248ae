package dev.cdi.cli;

import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SettingsTable;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cdi connectors}: the installed connectors, one line each with its summary; {@code cdi connectors --describe
 * NAME [--markdown]}: a connector's settings as a table (the README's tables are this table in Markdown).
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "connectors",
        description = "Lists the installed connectors, or with --describe NAME the settings one takes.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:a bad command line or an unknown connector"})
final class ConnectorsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--describe", paramLabel = "NAME",
            description = "Prints the settings of this connector: type, default, required, secret, description.")
    private Optional<String> describe = Optional.empty();

    @Option(names = "--markdown", description = "With --describe, prints the table in Markdown.")
    private boolean markdown;

    @Override
    public Integer call() {
        ConnectorRegistry connectors = CliConnectors.discover();
        PrintWriter out = spec.commandLine().getOut();
        if (describe.isPresent()) {
            // Throws UNKNOWN_CONNECTOR, a configuration error (exit 2), listing the installed connectors.
            SourceConnectorProvider provider = connectors.provider(describe.get());
            out.println(provider.name() + summary(provider));
            out.println();
            if (provider.settings().isEmpty()) {
                out.println("Its settings are not declared: it accepts any.");
            } else {
                out.print(markdown ? SettingsTable.markdown(provider.settings())
                        : SettingsTable.plainText(provider.settings()));
            }
            out.flush();
            return 0;
        }
        if (markdown) {
            throw new ParameterException(spec.commandLine(), "--markdown needs --describe NAME");
        }
        if (connectors.names().isEmpty()) {
            out.println("No connectors are installed.");
        }
        int width = connectors.names().stream().mapToInt(String::length).max().orElse(0);
        for (String name : connectors.names()) {
            SourceConnectorProvider provider = connectors.provider(name);
            String description = provider.description();
            out.println(description.isBlank() ? name : name + " ".repeat(width - name.length() + 2) + description);
        }
        out.flush();
        return 0;
    }

    private static String summary(SourceConnectorProvider provider) {
        return provider.description().isBlank() ? "" : ": " + provider.description();
    }
}
