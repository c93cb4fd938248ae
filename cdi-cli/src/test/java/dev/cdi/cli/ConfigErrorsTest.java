package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad command line or configuration exits with 2 and one line on standard error naming the file and the problem,
 * before anything is read (no warehouse exists in these tests, so any attempt to read would fail differently).
 */
class ConfigErrorsTest {
    private static final String VALID_INTEGRATION = "  - name: users\n"
            + "    connector: duckdb\n"
            + "    connection:\n"
            + "      path: warehouse.duckdb\n"
            + "    table: main.users_sync\n"
            + "    dataType: attributes\n"
            + "    sink:\n"
            + "      jsonl: out/users.jsonl\n";

    @TempDir
    Path directory;

    @Test
    void missingFile() {
        Path file = directory.resolve("nope.yaml");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": no such configuration file");
    }

    @Test
    void missingConfigOptionWithoutADefaultFile() {
        TestingCli.Result result = TestingCli.runIn(CliEnvironment.of(Map.of(), directory), "sync");

        assertUsageError(result, "no configuration file: looked for ./cdi.yaml in " + directory.toAbsolutePath());
    }

    @Test
    void unknownOption() {
        TestingCli.Result result = TestingCli.run("sync", "--config", "x.yaml", "--jsn");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--jsn'");
    }

    @Test
    void unparsableYaml() throws IOException {
        Path file = write("stateDir: state\nintegrations: [\n  - name: x\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": not valid YAML (line ");
    }

    @Test
    void unparsableJson() throws IOException {
        Path file = directory.resolve("cdi.json");
        Files.writeString(file, "{\"stateDir\": \"state\", }");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": not valid JSON (line 1, column ");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write("");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": is empty; it needs the keys stateDir and integrations");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        Path file = write("stateDir: state\nstatedir: other\nintegrations:\n" + VALID_INTEGRATION);

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": unknown key 'statedir' (known keys: stateDir, integrations)");
    }

    @Test
    void unknownIntegrationKeys() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + "    tabel: x\n    cron: y\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users): unknown keys 'tabel', 'cron' (known keys: name, connector, "
                        + "connection, table, dataType, options, sink, schedule, timeZone)");
    }

    @Test
    void unknownOptionKey() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + "    options:\n      batch: 5\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).options: unknown key 'batch' (known keys: settleLag, lookback, "
                        + "updateExistingOnly, batchSize, rowLimit)");
    }

    @Test
    void unknownConnectorListsTheKnownOnes() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("duckdb", "teradata"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).connector: No connector named 'teradata'; known connectors: ");
        assertThat(TestingCli.run("sync", "--config", file.toString()).err()).contains("duckdb");
    }

    @Test
    void invalidConnectorSettingIsRefusedBeforeAnyRun() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n"
                + VALID_INTEGRATION.replace("      path: warehouse.duckdb\n", "      path: warehouse.duckdb\n      readonly: true\n"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).connection: Unknown duckdb connection setting(s) [readonly]"
                        + " (did you mean 'readOnly'?); known settings: path, readOnly");
    }

    @Test
    void invalidIntegrationName() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("name: users", "name: Users"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (Users): Integration name 'Users' must match [a-z][a-z0-9_-]*");
    }

    @Test
    void invalidDuration() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + "    options:\n      settleLag: 5m\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).options.settleLag: '5m' is not an ISO-8601 duration such as PT0S");
    }

    @Test
    void negativeDuration() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + "    options:\n      lookback: -PT1M\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).options: lookback must not be negative, was PT-1M");
    }

    @Test
    void batchSizeOutOfRange() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + "    options:\n      batchSize: 0\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).options: batchSize must be between 1 and 10000, was 0");
    }

    @Test
    void wrongValueType() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION
                + "    options:\n      updateExistingOnly: sometimes\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file
                + ": integrations[0] (users).options.updateExistingOnly: must be true or false, not the string 'sometimes'");
    }

    @Test
    void unknownDataType() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("attributes", "attribute"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users): Unknown data type 'attribute'; known: attributes, events, ");
    }

    @Test
    void invalidTableName() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("main.users_sync", "users"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users): Invalid table name 'users'");
    }

    @Test
    void aTableNameWithACharacterNoWarehouseAllowsIsRefusedBeforeConnecting() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n"
                + VALID_INTEGRATION.replace("main.users_sync", "main.users\u202E_sync"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": integrations[0] (users): "
                + "Invalid table name 'main.users<U+202E>_sync': table contains an invisible format character (U+202E)"
                + " at position 5, which no warehouse allows in a name");
    }

    @Test
    void missingRequiredKey() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("    dataType: attributes\n", ""));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users): dataType is required");
    }

    @Test
    void duplicateNames() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION + VALID_INTEGRATION);

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations: the name 'users' is used twice");
    }

    @Test
    void duplicateKeys() throws IOException {
        Path file = write("stateDir: state\nstateDir: other\nintegrations:\n" + VALID_INTEGRATION);

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": not valid YAML (line ");
    }

    @Test
    void noIntegrations() throws IOException {
        Path file = write("stateDir: state\nintegrations: []\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations is empty; it needs at least one entry");
    }

    @Test
    void aYamlSyntaxErrorNearAPasswordDoesNotPrintIt() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n  - name: users\n    connector: redshift\n"
                + "    connection:\n      password: 'S3cretP@ss-XYZ\n    table: main.users\n");

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

        assertUsageError(result, file + ": not valid YAML (line ");
        assertThat(result.err()).doesNotContain("S3cret").doesNotContain("XYZ");
    }

    @Test
    void aJsonSyntaxErrorNearAPasswordDoesNotPrintIt() throws IOException {
        Path file = directory.resolve("cdi.json");
        Files.writeString(file, "{\"stateDir\": \"state\", \"integrations\": [{\"connection\": "
                + "{\"password\": S3cretP@ss}}]}");

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

        assertUsageError(result, file + ": not valid JSON (line 1, column ");
        assertThat(result.err()).doesNotContain("S3cret").doesNotContain("P@ss");
    }

    @Test
    void controlCharactersInAnEchoedValueAreEscaped() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION
                + "    options:\n      settleLag: \"\\e[31mred\\a\"\n");

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

        assertUsageError(result, file + ": integrations[0] (users).options.settleLag: '\\u001b[31mred\\u0007'"
                + " is not an ISO-8601 duration");
        assertThat(result.err()).doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void twoIntegrationsWritingOneSinkFileAreRefusedNamingBoth() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION
                + VALID_INTEGRATION.replace("name: users", "name: events").replace("users_sync", "events_sync"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": integrations (events)"
                + ".sink.jsonl: " + directory.toRealPath().resolve("out/users.jsonl")
                + " is also the sink of integration 'users'");
    }

    @Test
    void aSinkThatIsAnotherFileCdiUsesIsRefused() throws IOException {
        Path real = directory.toRealPath();
        String[][] cases = {
            {"cdi.yaml", "is this configuration file"},
            {"state/history/users.jsonl", "is inside stateDir"},
            {"state/users.jsonl", "is inside stateDir"},
            {"warehouse.duckdb", "is the file named by connection.path of integration 'users'"},
            {"cdi.yaml/users.jsonl", real.resolve("cdi.yaml") + " is a file, not a directory"}};
        for (String[] sinkAndProblem : cases) {
            Path file = write("stateDir: state\nintegrations:\n"
                    + VALID_INTEGRATION.replace("out/users.jsonl", sinkAndProblem[0]));

            TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

            assertUsageError(result, file + ": integrations (users).sink.jsonl: ");
            assertThat(result.err()).as(sinkAndProblem[0]).contains(sinkAndProblem[1]);
        }
    }

    @Test
    void aSinkThatIsANamedPipeIsRefused() throws Exception {
        Path pipe = directory.resolve("pipe.jsonl");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        } catch (IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.abort("mkfifo is not available here: " + noMkfifo.getMessage());
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        Path file = write("stateDir: state\nintegrations:\n" + VALID_INTEGRATION.replace("out/users.jsonl", "pipe.jsonl"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": integrations (users).sink.jsonl: "
                + directory.toRealPath().resolve("pipe.jsonl") + " is not a regular file");
    }

    @Test
    void aStateDirectoryUnderARegularFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        Files.writeString(directory.resolve("blocker"), "a file");
        Path file = write("stateDir: blocker/state\nintegrations:\n" + VALID_INTEGRATION);

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file + ": stateDir: "
                + directory.toAbsolutePath().resolve("blocker/state") + " cannot be created: ");
        assertThat(directory.resolve("out")).doesNotExist();
    }

    private Path write(String yaml) throws IOException {
        return TestingCli.writeConfig(directory, yaml);
    }

    private void assertUsageError(TestingCli.Result result, String messageStart) {
        TestingCli.assertUsageError(result, messageStart, directory);
        assertThat(directory.resolve("warehouse.duckdb")).doesNotExist();
    }
}
