package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi fake-warehouse bigquery}: served in-process and stopped by interrupting its thread. */
class FakeWarehouseBigQueryTest {
    private static final Pattern HOST = Pattern.compile("(?m)^      host: (http://127\\.0\\.0\\.1:\\d+)$");
    private static final Pattern CREDENTIALS = Pattern.compile("(?m)^      credentials: \\$\\{file:(.+)}$");

    @TempDir
    Path directory;

    @Test
    void syncsTheTableOfADuckDbFileThroughGooglesClient() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, true);
        Path keys = directory.resolve("keys");
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "bigquery", "--data",
                data.toString(), "--key-dir", keys.toString());
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving cdi-fake-project.cdi.users from " + data.toAbsolutePath()
                    + " as BigQuery project cdi-fake-project on http://127.0.0.1:");
            String connection = printed.substring(printed.indexOf("    connector: bigquery\n"),
                    printed.indexOf(FakeWarehouseCommand.SERVING_LINE));
            Path keyFile = keys.toAbsolutePath().resolve(FakeWarehouseCommand.BIGQUERY_KEY_FILE);
            assertThat(connection)
                    .contains("    connection:\n", "      project: cdi-fake-project\n", "      location: US\n")
                    .contains("      credentials: ${file:" + keyFile + "}\n");
            assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            JsonNode key = new ObjectMapper().readTree(Files.readString(keyFile));
            assertThat(key.get("type").asText()).isEqualTo("service_account");
            assertThat(key.get("client_email").asText())
                    .isEqualTo("cdi-sync@cdi-fake-project.iam.gserviceaccount.com");
            assertThat(printed).doesNotContain("PRIVATE KEY");
            Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + connection
                    + "    table: cdi-fake-project.cdi.users\n"
                    + "    dataType: attributes\n"
                    + "    sink:\n"
                    + "      jsonl: out/users.jsonl\n");

            TestingCli.Result sync = TestingCli.run("sync", "--config", config.toString(), "--json");

            assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
            assertThat(sync.out()).contains("\"status\":\"SUCCESS\"").contains("\"rowsSynced\":3");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(directory.resolve("out/users.jsonl"), StandardCharsets.UTF_8)) {
                rows.add(json.readTree(line));
            }
            assertThat(rows).extracting(row -> row.get("identifier").get("value").asText())
                    .containsExactly("u1", "u2", "u3");
            assertThat(rows.get(0).get("updatedAt").asText()).isEqualTo("2026-01-02T03:04:05.123456Z");
            assertThat(rows.get(2).get("payload").get("plan").asText()).isEqualTo("free");
            int port = URI.create(TestingFakeWarehouse.group(HOST, printed)).getPort();

            assertThat(fake.stop()).isZero();

            assertThat(fake.out()).endsWith(FakeWarehouseCommand.SERVING_LINE + "\nStopped.\n");
            assertThat(fake.err()).isEmpty();
            assertThat(TestingFakeWarehouse.listening(port)).as("the fake stopped listening").isFalse();
        } finally {
            fake.stopQuietly();
        }
    }

    @Test
    void servesInTheProjectAndDatasetGivenAndWritesTheKeyOwnerOnlyToANewTemporaryDirectoryByDefault()
            throws Exception {
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "bigquery", "--data",
                TestingFakeWarehouse.usersFile(directory, true).toString(), "--project", "trial-project", "--dataset", "crm");
        Path keyFile = null;
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving trial-project.crm.users from ")
                    .contains("      project: trial-project\n");
            keyFile = Path.of(TestingFakeWarehouse.group(CREDENTIALS, printed));
            assertThat(keyFile.getFileName()).hasToString(FakeWarehouseCommand.BIGQUERY_KEY_FILE);
            assertThat(keyFile.getParent().getFileName().toString()).startsWith("cdi-fake-bigquery-");
            assertThat(Files.getPosixFilePermissions(keyFile.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(new ObjectMapper().readTree(Files.readString(keyFile)).get("client_email").asText())
                    .isEqualTo("cdi-sync@trial-project.iam.gserviceaccount.com");
            assertThat(fake.stop()).isZero();
        } finally {
            fake.stopQuietly();
            if (keyFile != null) {
                Files.deleteIfExists(keyFile);
                Files.deleteIfExists(keyFile.getParent());
            }
        }
    }

    @Test
    void neverOverwritesAKeyFile() throws Exception {
        Path keys = Files.createDirectories(directory.resolve("keys"));
        Path existing = Files.writeString(keys.resolve(FakeWarehouseCommand.BIGQUERY_KEY_FILE), "{}\n");

        TestingCli.Result result = TestingCli.run("fake-warehouse", "bigquery", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--key-dir", keys.toString());

        TestingCli.assertUsageError(result, existing + ": already exists; refusing to overwrite a key", directory);
        assertThat(Files.readString(existing)).isEqualTo("{}\n");
    }

    @Test
    void aMissingDataFileIsAUsageError() {
        Path missing = directory.resolve("missing.duckdb");

        TestingCli.Result result = TestingCli.run("fake-warehouse", "bigquery", "--data", missing.toString(),
                "--key-dir", directory.resolve("keys").toString());

        TestingCli.assertUsageError(result, "--data " + missing + ": no such file", directory);
        assertThat(directory.resolve("keys")).doesNotExist();
    }

    @Test
    void aBadProjectIdIsAUsageError() throws Exception {
        TestingCli.Result result = TestingCli.run("fake-warehouse", "bigquery", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--project", "Trial", "--key-dir", directory.resolve("keys").toString());

        TestingCli.assertUsageError(result, "--project must be a Google Cloud project id", directory);
        assertThat(directory.resolve("keys")).doesNotExist();
    }

    @Test
    void anOptionOfAnotherWarehouseIsAUsageError() throws Exception {
        TestingCli.Result bigQuery = TestingCli.run("fake-warehouse", "bigquery", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--database", "trial");
        TestingCli.Result snowflake = TestingCli.run("fake-warehouse", "snowflake", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--dataset", "trial");

        TestingCli.assertUsageError(bigQuery, "--database is for snowflake only", directory);
        TestingCli.assertUsageError(snowflake, "--dataset is for bigquery only", directory);
    }

}
