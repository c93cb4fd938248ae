package dev.cdi.cli;

import dev.cdi.testkit.TestingBrazeServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdi fake-braze [--port N] [--catalog NAME]...}: serves a local fake of Braze's REST API
 * ({@link TestingBrazeServer}) until interrupted, and prints the {@code sink:} block to paste into a configuration, so
 * that anyone can try a Braze sink without a Braze account. When stopped it prints how many profiles and catalog
 * items it held.
 *
 * <p>Not thread-safe; picocli creates one per command line. Interrupting the thread that runs it stops it too.
 */
@Command(name = "fake-braze",
        description = "Serves a local fake of Braze's REST API (users/track, users/delete, catalog items) until "
                + "interrupted, and prints the sink settings to paste into a configuration file.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (Ctrl-C or SIGTERM)",
            "1:the server could not start (such as a port in use)",
            "2:a bad command line"})
final class FakeBrazeCommand implements Callable<Integer> {
    private static final Pattern CATALOG_NAME = Pattern.compile("[A-Za-z0-9_-]{1,250}");

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N",
            description = "The port to listen on, on 127.0.0.1 (default: a free one).")
    private Optional<Integer> port = Optional.empty();

    @Option(names = "--catalog", paramLabel = "NAME",
            description = "A catalog to create, for catalog integrations (repeatable).")
    private List<String> catalogs = List.of();

    @Override
    public Integer call() throws InterruptedException {
        if (port.isPresent() && (port.get() < 1 || port.get() > 65535)) {
            throw new ConfigException("--port must be between 1 and 65535, was " + port.get());
        }
        for (String catalog : catalogs) {
            if (!CATALOG_NAME.matcher(catalog).matches()) {
                throw new ConfigException("--catalog must be 1 to 250 letters, digits, hyphens or underscores, was '"
                        + catalog + "'");
            }
        }
        TestingBrazeServer server;
        try {
            server = TestingBrazeServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1" + port.map(p -> ":" + p).orElse("") + ": "
                    + e.getCause().getMessage(), e);
        }
        catalogs.forEach(server::createCatalog);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving a fake Braze REST API on " + server.url()
                + (catalogs.isEmpty() ? "" : " with catalogs " + String.join(", ", catalogs)) + ".");
        out.println("Paste into an integration of your configuration file:");
        out.println("    sink:");
        out.println("      braze:");
        out.println("        endpoint: " + server.url());
        out.println("        apiKey: " + server.apiKey());
        if (!catalogs.isEmpty()) {
            out.println("        catalogName: " + catalogs.get(0));
        }
        out.println(FakeWarehouseCommand.SERVING_LINE);
        out.flush();
        return FakeWarehouseCommand.serveUntilStopped(out, () -> {
            int profiles = server.profiles().size();
            int items = catalogs.stream().mapToInt(catalog -> server.catalogItems(catalog).size()).sum();
            server.close();
            out.println("The fake held " + profiles + " user profiles and " + items + " catalog items, from "
                    + server.delivered().size() + " objects delivered in " + server.requests().size() + " requests.");
        });
    }
}
