package dev.cdi.cli;

import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import dev.cdi.testkit.TestingBigQueryServer;
import dev.cdi.testkit.TestingDatabricksServer;
import dev.cdi.testkit.TestingFabricServer;
import dev.cdi.testkit.TestingSnowflakeServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cdi fake-warehouse NAME --data FILE.duckdb [--port N] [--key-dir DIR]}: serves the tables of a DuckDB file as
 * a local fake warehouse, so that anyone can try an integration without an account.
 * <ul>
 *   <li>{@code snowflake} ({@code [--database NAME]}): a fake Snowflake account ({@link TestingSnowflakeServer}, which
 *       the real Snowflake driver logs in to with key-pair authentication). It generates a key for a user of the
 *       fake and writes it encrypted next to a random passphrase.
 *   <li>{@code databricks} ({@code [--catalog NAME] [--startup-delay PT30S]}): a fake Databricks SQL warehouse
 *       ({@link TestingDatabricksServer}, which the real Databricks driver reaches with a personal access token). It
 *       writes the token to a file. With a start-up delay the warehouse starts stopped, as an idle warehouse is.
 *   <li>{@code bigquery} ({@code [--project ID] [--dataset NAME]}): a fake BigQuery project
 *       ({@link TestingBigQueryServer}, which Google's BigQuery client reaches with a service account's key). It
 *       creates a service account of the fake and writes its JSON key.
 *   <li>{@code fabric}: a fake Microsoft Fabric warehouse ({@link TestingFabricServer}, which Microsoft's SQL Server
 *       driver logs in to with a token that {@code azure-identity} gets from the fake's Entra endpoint for a service
 *       principal). It prints the principal's tenant, client id and secret, and the fake's certificate file to
 *       trust.
 * </ul>
 * Then it prints the {@code connection:} block to paste into a configuration, and serves until interrupted (Ctrl-C,
 * SIGTERM), then exits with 0.
 *
 * <p>Not thread-safe; picocli creates one per command line. Interrupting the thread that runs it stops it too.
 */
@Command(name = "fake-warehouse",
        description = {"Serves the tables of a DuckDB file as a local fake warehouse until interrupted, and prints the "
                + "connection settings to paste into a configuration file, to try an integration without an account.",
            "Known warehouses: " + FakeWarehouseCommand.BIGQUERY + ", " + FakeWarehouseCommand.DATABRICKS + ", "
                + FakeWarehouseCommand.FABRIC + ", "
                + FakeWarehouseCommand.SNOWFLAKE + "."},
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
    static final String BIGQUERY = "bigquery";
    static final String DATABRICKS = "databricks";
    static final String FABRIC = "fabric";
    static final List<String> KNOWN_WAREHOUSES = List.of(BIGQUERY, DATABRICKS, FABRIC, SNOWFLAKE);
    static final String KEY_FILE = "snowflake-fake-key.pem";
    static final String PASSPHRASE_FILE = "snowflake-fake-key.pass";
    static final String BIGQUERY_KEY_FILE = "bigquery-fake-key.json";
    static final String DATABRICKS_TOKEN_FILE = "databricks-fake-token";
    static final String DEFAULT_CATALOG = "cdi";
    static final String USER = "CDI_USER";
    static final String ROLE = "CDI_ROLE";
    static final String SCHEMA = "PUBLIC";
    static final String DEFAULT_DATABASE = "CDI";
    static final String DEFAULT_PROJECT = "cdi-fake-project";
    static final String DEFAULT_DATASET = "cdi";
    static final String BIGQUERY_LOCATION = "US";
    static final String SERVING_LINE = "Serving until interrupted (Ctrl-C).";
    private static final Pattern UNQUOTED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    // Google's rules: a project id is 6 to 30 lower-case letters, digits and hyphens, starting with a letter and not
    // ending with a hyphen; a dataset name is letters, digits and underscores, at most 1,024 of them.
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    private static final int PASSPHRASE_BYTES = 24;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME",
            description = "The warehouse to fake: " + BIGQUERY + ", " + DATABRICKS + ", " + FABRIC + " or " + SNOWFLAKE
                    + ".")
    private String name;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "The DuckDB file whose tables to serve (opened read-only). Snowflake: schema main is served "
                    + "as PUBLIC, names upper case. BigQuery: tables of schema main keep their names. Databricks: schema main "
                    + "is served as default, names lower case. Fabric: schema main is served as dbo, names kept.")
    private Path data;

    @Option(names = "--port", paramLabel = "N",
            description = "The port to listen on, on 127.0.0.1 (default: a free one).")
    private Optional<Integer> port = Optional.empty();

    @Option(names = "--database", paramLabel = "NAME",
            description = "Snowflake only: the database the tables are served in (default: " + DEFAULT_DATABASE
                    + ").")
    private Optional<String> database = Optional.empty();

    @Option(names = "--project", paramLabel = "ID",
            description = "BigQuery only: the project the tables are served in (default: " + DEFAULT_PROJECT + ").")
    private Optional<String> project = Optional.empty();

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "BigQuery only: the dataset the tables are served in (default: " + DEFAULT_DATASET + ").")
    private Optional<String> dataset = Optional.empty();

    @Option(names = "--catalog", paramLabel = "NAME",
            description = "Databricks only: the catalog the tables are served in (default: " + DEFAULT_CATALOG + ").")
    private Optional<String> catalog = Optional.empty();

    @Option(names = "--startup-delay", paramLabel = "DURATION",
            description = "Databricks only: start with the SQL warehouse stopped; the first statement starts it, and "
                    + "statements wait this long (ISO-8601, such as PT30S), as for a classic warehouse.")
    private Optional<Duration> startupDelay = Optional.empty();

    @Option(names = "--key-dir", paramLabel = "DIR",
            description = "Where to write the key, owner-only, never overwriting (default: a new temporary "
                    + "directory). Snowflake: the user's encrypted key (" + KEY_FILE + ") and its passphrase ("
                    + PASSPHRASE_FILE + "). BigQuery: the service account's JSON key (" + BIGQUERY_KEY_FILE + "). "
                    + "Databricks: a personal access token (" + DATABRICKS_TOKEN_FILE + ").")
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
        if (!name.equals(DATABRICKS)) {
            refuseOptionOfAnother("--catalog", catalog, DATABRICKS);
            refuseOptionOfAnother("--startup-delay", startupDelay.map(Duration::toString), DATABRICKS);
        }
        return switch (name) {
            case BIGQUERY -> bigQuery();
            case DATABRICKS -> databricks();
            case FABRIC -> fabric();
            default -> snowflake();
        };
    }

    private int databricks() throws InterruptedException {
        refuseOptionOfAnother("--database", database, SNOWFLAKE);
        refuseOptionOfAnother("--project", project, BIGQUERY);
        refuseOptionOfAnother("--dataset", dataset, BIGQUERY);
        String catalogName = catalog.orElse(DEFAULT_CATALOG);
        if (!DATASET_NAME.matcher(catalogName).matches()) {
            throw new ConfigException("--catalog must be a simple name (letters, digits and underscores), was '"
                    + catalogName + "'");
        }
        if (startupDelay.isPresent() && (startupDelay.get().isNegative() || startupDelay.get().toHours() >= 1)) {
            throw new ConfigException("--startup-delay must be between PT0S and PT1H, was " + startupDelay.get());
        }
        Path tokenFile = keyDirectory.map(directory -> directory.resolve(DATABRICKS_TOKEN_FILE)).orElse(null);
        if (tokenFile != null) {
            refuseExisting(tokenFile);
        }

        TestingDatabricksServer server;
        try {
            server = TestingDatabricksServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw cannotListen(e);
        }
        boolean serving = false;
        try {
            List<String> tables = attach(() -> server.attach(data, catalogName));
            startupDelay.ifPresent(server::stopWarehouse);
            if (tokenFile == null) {
                tokenFile = createTemporaryDirectory("cdi-fake-databricks-").resolve(DATABRICKS_TOKEN_FILE);
            }
            Path absoluteTokenFile = tokenFile.toAbsolutePath().normalize();
            KeygenCommand.writeOwnerOnly(absoluteTokenFile, server.personalAccessToken() + "\n");
            printConnection(server, tables, catalogName, absoluteTokenFile);
            serving = true;
            return serveUntilStopped(spec.commandLine().getOut(), server::close);
        } finally {
            if (!serving) {
                server.close();
            }
        }
    }

    private void printConnection(TestingDatabricksServer server, List<String> tables, String catalogName,
            Path tokenFile) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + String.join(", ", tables) + " from " + data.toAbsolutePath().normalize()
                + " as a Databricks SQL warehouse on " + server.host() + ":" + server.port()
                + startupDelay.map(delay -> " (stopped; starting takes " + delay + ")").orElse("") + ".");
        out.println("Paste into an integration of a configuration file, with table: one of the tables above"
                + " (schema.table):");
        out.println("    connector: databricks");
        out.println("    connection:");
        out.println("      host: " + server.host());
        out.println("      port: " + server.port());
        out.println("      ssl: false");
        out.println("      httpPath: " + server.httpPath());
        out.println("      catalog: " + catalogName);
        out.println("      token: " + yamlScalar("${file:" + tokenFile + "}"));
        out.println(SERVING_LINE);
        out.flush();
    }

    private int snowflake() throws InterruptedException {
        refuseOptionOfAnother("--project", project, BIGQUERY);
        refuseOptionOfAnother("--dataset", dataset, BIGQUERY);
        String requestedDatabase = database.orElse(DEFAULT_DATABASE);
        if (!UNQUOTED_NAME.matcher(requestedDatabase).matches()) {
            throw new ConfigException("--database must be an unquoted Snowflake name ([A-Za-z_][A-Za-z0-9_$]*), was '"
                    + requestedDatabase + "'");
        }
        String databaseName = requestedDatabase.toUpperCase(Locale.ROOT);
        Path keyFile = keyDirectory.map(directory -> directory.resolve(KEY_FILE)).orElse(null);
        Path passphraseFile = keyDirectory.map(directory -> directory.resolve(PASSPHRASE_FILE)).orElse(null);
        if (keyFile != null) {
            refuseExisting(keyFile, passphraseFile);
        }

        TestingSnowflakeServer server = startSnowflake();
        boolean serving = false;
        try {
            List<String> tables = attach(() -> server.attach(data, databaseName));
            SnowflakeKeyPair key = SnowflakeKeyPair.generate();
            server.addUser(USER, key.publicKey());
            server.setUserDefaults(USER, ROLE, TestingSnowflakeServer.DEFAULT_WAREHOUSE, databaseName, SCHEMA);
            if (keyFile == null) {
                Path directory = createTemporaryDirectory("cdi-fake-snowflake-");
                keyFile = directory.resolve(KEY_FILE);
                passphraseFile = directory.resolve(PASSPHRASE_FILE);
            }
            writeKey(key, keyFile.toAbsolutePath().normalize(), passphraseFile.toAbsolutePath().normalize());
            printConnection(server, tables, databaseName, keyFile.toAbsolutePath().normalize(),
                    passphraseFile.toAbsolutePath().normalize());
            serving = true;
            return serveUntilStopped(spec.commandLine().getOut(), server::close);
        } finally {
            if (!serving) {
                server.close();
            }
        }
    }

    private int bigQuery() throws InterruptedException {
        refuseOptionOfAnother("--database", database, SNOWFLAKE);
        String projectId = project.orElse(DEFAULT_PROJECT);
        if (!PROJECT_ID.matcher(projectId).matches()) {
            throw new ConfigException("--project must be a Google Cloud project id (6 to 30 lower-case letters, digits "
                    + "and hyphens, starting with a letter, not ending with a hyphen), was '" + projectId + "'");
        }
        String datasetName = dataset.orElse(DEFAULT_DATASET);
        if (!DATASET_NAME.matcher(datasetName).matches()) {
            throw new ConfigException("--dataset must be a BigQuery dataset name (letters, digits and underscores), "
                    + "was '" + datasetName + "'");
        }
        Path keyFile = keyDirectory.map(directory -> directory.resolve(BIGQUERY_KEY_FILE)).orElse(null);
        if (keyFile != null) {
            refuseExisting(keyFile);
        }

        TestingBigQueryServer server = startBigQuery();
        boolean serving = false;
        try {
            List<String> tables = attach(() -> server.attach(data, projectId, datasetName));
            TestingBigQueryServer.ServiceAccount account =
                    server.createServiceAccount("cdi-sync@" + projectId + ".iam.gserviceaccount.com");
            if (keyFile == null) {
                keyFile = createTemporaryDirectory("cdi-fake-bigquery-").resolve(BIGQUERY_KEY_FILE);
            }
            Path absoluteKeyFile = keyFile.toAbsolutePath().normalize();
            KeygenCommand.writeOwnerOnly(absoluteKeyFile, account.keyJson());
            printConnection(server, tables, projectId, account.email(), absoluteKeyFile);
            serving = true;
            return serveUntilStopped(spec.commandLine().getOut(), server::close);
        } finally {
            if (!serving) {
                server.close();
            }
        }
    }

    private int fabric() throws InterruptedException {
        refuseOptionOfAnother("--database", database, SNOWFLAKE);
        refuseOptionOfAnother("--project", project, BIGQUERY);
        refuseOptionOfAnother("--dataset", dataset, BIGQUERY);
        if (keyDirectory.isPresent()) {
            throw new ConfigException("--key-dir is for " + BIGQUERY + " and " + SNOWFLAKE + " only (" + FABRIC
                    + " logs in with a client secret, printed)");
        }
        TestingFabricServer server;
        try {
            server = TestingFabricServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw cannotListen(e);
        }
        boolean serving = false;
        try {
            List<String> tables = attach(() -> server.attach(data));
            printConnection(server, tables);
            serving = true;
            return serveUntilStopped(spec.commandLine().getOut(), server::close);
        } finally {
            if (!serving) {
                server.close();
            }
        }
    }

    private static void refuseOptionOfAnother(String option, Optional<String> value, String warehouse) {
        if (value.isPresent()) {
            throw new ConfigException(option + " is for " + warehouse + " only");
        }
    }

    private static void refuseExisting(Path... files) {
        for (Path file : files) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(file + ": already exists; refusing to overwrite a key");
            }
        }
    }

    private TestingSnowflakeServer startSnowflake() {
        try {
            return TestingSnowflakeServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw cannotListen(e);
        }
    }

    private TestingBigQueryServer startBigQuery() {
        try {
            return TestingBigQueryServer.start(port.orElse(0));
        } catch (UncheckedIOException e) {
            throw cannotListen(e);
        }
    }

    private UncheckedIOException cannotListen(UncheckedIOException e) {
        return new UncheckedIOException("Cannot listen on 127.0.0.1:" + port.map(String::valueOf).orElse("(free port)"),
                e.getCause());
    }

    private List<String> attach(Supplier<List<String>> attachData) {
        List<String> tables;
        try {
            tables = attachData.get();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ConfigException("--data " + data + ": cannot serve it: " + String.valueOf(e.getMessage()).strip()
                    .replaceAll("\\s+", " "), e);
        }
        if (tables.isEmpty()) {
            throw new ConfigException("--data " + data + ": has no tables to serve");
        }
        return tables;
    }

    private static Path createTemporaryDirectory(String prefix) {
        try {
            // Created owner-only (rwx------) on POSIX file systems.
            return Files.createTempDirectory(prefix);
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

    private void printConnection(TestingBigQueryServer server, List<String> tables, String projectId,
            String serviceAccount, Path keyFile) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + String.join(", ", tables) + " from " + data.toAbsolutePath().normalize()
                + " as BigQuery project " + projectId + " on " + server.url() + ", to service account "
                + serviceAccount + ".");
        out.println("Paste into an integration of a configuration file, with table: one of the tables above:");
        out.println("    connector: bigquery");
        out.println("    connection:");
        out.println("      project: " + projectId);
        out.println("      location: " + BIGQUERY_LOCATION);
        out.println("      host: " + server.url());
        out.println("      credentials: " + yamlScalar("${file:" + keyFile + "}"));
        out.println(SERVING_LINE);
        out.flush();
    }

    private void printConnection(TestingFabricServer server, List<String> tables) {
        PrintWriter out = spec.commandLine().getOut();
        TestingFabricServer.ServicePrincipal principal = server.servicePrincipal();
        out.println("Serving " + String.join(", ", tables) + " from " + data.toAbsolutePath().normalize()
                + " as Microsoft Fabric warehouse " + server.database() + " on " + server.host() + ":" + server.port()
                + ", with Microsoft Entra at " + server.authorityHost() + ".");
        out.println("Paste into an integration of a configuration file, with table: one of the tables above:");
        out.println("    connector: fabric");
        out.println("    connection:");
        out.println("      host: " + server.host());
        out.println("      port: " + server.port());
        out.println("      warehouse: " + server.database());
        out.println("      tenantId: " + server.tenantId());
        out.println("      clientId: " + principal.clientId());
        // The fake's own secret, valid only while it runs: printed so that the block can be pasted as it is.
        out.println("      clientSecret: " + yamlScalar(principal.clientSecret()));
        out.println("      encrypt: strict");
        out.println("      authorityHost: " + yamlScalar(server.authorityHost()));
        out.println("      trustedCertificate: " + yamlScalar(server.certificateFile().toAbsolutePath().toString()));
        out.println(SERVING_LINE);
        out.flush();
    }

    /** A plain YAML scalar when that reads back as the same text, else a single-quoted one. */
    private static String yamlScalar(String text) {
        boolean plain = !text.contains(": ") && !text.contains(" #") && !text.endsWith(":") && !text.endsWith(" ")
                && text.chars().allMatch(c -> c >= ' ' && c != '\'' && c != '"' && c < 0x7f);
        return plain ? text : "'" + text.replace("'", "''") + "'";
    }

    /** Serves until interrupted or the JVM is told to stop, then closes the server and prints "Stopped.". */
    static int serveUntilStopped(PrintWriter out, Runnable closeServer) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            closeServer.run();
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
