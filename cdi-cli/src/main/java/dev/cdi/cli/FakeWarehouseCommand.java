package dev.cdi.cli;

import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import dev.cdi.testkit.TestingSnowflakeServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cdi fake-warehouse snowflake --data FILE.duckdb [--port N] [--database NAME] [--key-dir DIR]}: serves the
 * tables of a DuckDB file as a local fake Snowflake account ({@link TestingSnowflakeServer}, which the real Snowflake
 * driver logs in to with key-pair authentication), so that anyone can try a Snowflake integration without an account.
 * It generates a key for a user of the fake, writes it encrypted next to a random passphrase, prints the
 * {@code connection:} block to paste into a configuration, and serves until interrupted (Ctrl-C, SIGTERM), then
 * exits with 0.
 *
 * <p>Not thread-safe; picocli creates one per command line. Interrupting the thread that runs it stops it too.
 */
@Command(name = "fake-warehouse",
        description = {"Serves the tables of a DuckDB file as a local fake warehouse until interrupted, and prints the "
                + "connection settings to paste into a configuration file, to try an integration without an account.",
            "Known warehouses: " + FakeWarehouseCommand.SNOWFLAKE + "."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (Ctrl-C or SIGTERM)",
            "1:the server could not start (such as a port in use)",
            "2:a bad command line, a missing or unreadable data file, or a key file that exists already"})
final class FakeWarehouseCommand implements Callable<Integer> {
    static final String SNOWFLAKE = "snowflake";
    static final List<String> KNOWN_WAREHOUSES = List.of(SNOWFLAKE);
    static final String KEY_FILE = "snowflake-fake-key.pem";
    static final String PASSPHRASE_FILE = "snowflake-fake-key.pass";
    static final String USER = "CDI_USER";
    static final String ROLE = "CDI_ROLE";
    static final String SCHEMA = "PUBLIC";
    static final String SERVING_LINE = "Serving until interrupted (Ctrl-C).";
    private static final Pattern UNQUOTED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final int PASSPHRASE_BYTES = 24;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The warehouse to fake: " + SNOWFLAKE + ".")
    private String name;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "The DuckDB file whose tables to serve (opened read-only); schema main is served as PUBLIC, "
                    + "names upper case.")
    private Path data;

    @Option(names = "--port", paramLabel = "N",
            description = "The port to listen on, on 127.0.0.1 (default: a free one).")
    private Optional<Integer> port = Optional.empty();

    @Option(names = "--database", paramLabel = "NAME", defaultValue = "CDI",
            description = "The database the tables are served in (default: ${DEFAULT-VALUE}).")
    private String database;

    @Option(names = "--key-dir", paramLabel = "DIR",
            description = "Where to write the user's encrypted key (" + KEY_FILE + ") and its passphrase ("
                    + PASSPHRASE_FILE + "), owner-only, never overwriting (default: a new temporary directory).")
    private Optional<Path> keyDirectory = Optional.empty();

    @Override
    public Integer call() throws InterruptedException {
        if (!KNOWN_WAREHOUSES.contains(name)) {
            throw new ConfigException("unknown warehouse '" + name + "'; known: " + String.join(", ", KNOWN_WAREHOUSES));
        }
        if (!Files.isRegularFile(data)) {
            throw new ConfigException("--data " + data + ": no such file; give a DuckDB file whose tables to serve");
        }
        if (port.isPresent() && (port.get() < 1 || port.get() > 65535)) {
            throw new ConfigException("--port must be between 1 and 65535, was " + port.get());
        }
        if (!UNQUOTED_NAME.matcher(database).matches()) {
            throw new ConfigException("--database must be an unquoted Snowflake name ([A-Za-z_][A-Za-z0-9_$]*), was '"
                    + database + "'");
        }
        String databaseName = database.toUpperCase(Locale.ROOT);
        Path keyFile = keyDirectory.map(directory -> directory.resolve(KEY_FILE)).orElse(null);
        Path passphraseFile = keyDirectory.map(directory -> directory.resolve(PASSPHRASE_FILE)).orElse(null);
        if (keyFile != null) {
            for (Path file : List.of(keyFile, passphraseFile)) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ConfigException(file + ": already exists; refusing to overwrite a key");
                }
            }
        }

        TestingSnowflakeServer server = startServer();
        boolean serving = false;
        try {
            List<String> tables = attach(server, databaseName);
            SnowflakeKeyPair key = SnowflakeKeyPair.generate();
            server.addUser(USER, key.publicKey());
            server.setUserDefaults(USER, ROLE, TestingSnowflakeServer.DEFAULT_WAREHOUSE, databaseName, SCHEMA);
            if (keyFile == null) {
                Path directory = createTemporaryDirectory();
                keyFile = directory.resolve(KEY_FILE);
                passphraseFile = directory.resolve(PASSPHRASE_FILE);
            }
            writeKey(key, keyFile.toAbsolutePath().normalize(), passphraseFile.toAbsolutePath().normalize());
            printConnection(server, tables, databaseName, keyFile.toAbsolutePath().normalize(),
                    passphraseFile.toAbsolutePath().normalize());
            serving = true;
            return serveUntilStopped(server);
        } finally {
            if (!serving) {
                server.close();
            }
        }
    }

    private TestingSnowflakeServer startServer() {
        try {
            return TestingSnowflakeServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port.map(String::valueOf).orElse("(free port)"),
                    e.getCause());
        }
    }

    private List<String> attach(TestingSnowflakeServer server, String databaseName) {
        List<String> tables;
        try {
            tables = server.attach(data, databaseName);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException("--data " + data + ": cannot serve it: " + String.valueOf(e.getMessage()).strip()
                    .replaceAll("\\s+", " "), e);
        }
        if (tables.isEmpty()) {
            throw new ConfigException("--data " + data + ": has no tables to serve");
        }
        return tables;
    }

    private static Path createTemporaryDirectory() {
        try {
            // Created owner-only (rwx------) on POSIX file systems.
            return Files.createTempDirectory("cdi-fake-snowflake-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the key", e);
        }
    }

    private static void writeKey(SnowflakeKeyPair key, Path keyFile, Path passphraseFile) {
        byte[] random = new byte[PASSPHRASE_BYTES];
        new SecureRandom().nextBytes(random);
        char[] passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        try {
            // The passphrase first: a key file is then never left without the passphrase that opens it.
            KeygenCommand.writeOwnerOnly(passphraseFile, new String(passphrase) + "\n");
            KeygenCommand.writeOwnerOnly(keyFile, key.encryptedPrivateKeyPem(passphrase));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private void printConnection(TestingSnowflakeServer server, List<String> tables, String databaseName,
            Path keyFile, Path passphraseFile) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + String.join(", ", tables) + " from " + data.toAbsolutePath().normalize()
                + " as Snowflake account " + server.account() + " on " + server.host() + ":" + server.port() + ".");
        out.println("Paste into an integration of a configuration file, with table: one of the tables above:");
        out.println("    connector: snowflake");
        out.println("    connection:");
        out.println("      account: " + server.account());
        out.println("      host: " + server.host());
        out.println("      port: " + server.port());
        out.println("      ssl: false");
        out.println("      user: " + USER);
        out.println("      role: " + ROLE);
        out.println("      warehouse: " + TestingSnowflakeServer.DEFAULT_WAREHOUSE);
        out.println("      database: " + databaseName);
        out.println("      schema: " + SCHEMA);
        out.println("      privateKey: " + yamlScalar("${file:" + keyFile + "}"));
        out.println("      privateKeyPassphrase: " + yamlScalar("${file:" + passphraseFile + "}"));
        out.println(SERVING_LINE);
        out.flush();
    }

    /** A plain YAML scalar when that reads back as the same text, else a single-quoted one. */
    private static String yamlScalar(String text) {
        boolean plain = !text.contains(": ") && !text.contains(" #") && !text.endsWith(":") && !text.endsWith(" ")
                && text.chars().allMatch(c -> c >= ' ' && c != '\'' && c != '"' && c < 0x7f);
        return plain ? text : "'" + text.replace("'", "''") + "'";
    }

    private int serveUntilStopped(TestingSnowflakeServer server) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.close();
            out.println("Stopped.");
            out.flush();
        };
        Thread hook = new Thread(() -> {
            stop.run();
            stopped.countDown();
            // Being interrupted is how this command ends, not a failure: without this the JVM would exit with
            // 128 + the signal's number. Nothing else in this process has a shutdown hook that must finish.
            Runtime.getRuntime().halt(0);
        }, "cdi-fake-warehouse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException interrupted) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running already and stops the server.
                throw interrupted;
            }
            stop.run();
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
