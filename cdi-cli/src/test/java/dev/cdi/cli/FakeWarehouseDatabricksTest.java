package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi fake-warehouse databricks}: served in-process and stopped by interrupting its thread. */
class FakeWarehouseDatabricksTest {
    private static final Pattern PORT = Pattern.compile("(?m)^      port: (\\d+)$");

    @TempDir
    Path directory;

    @Test
    void syncsTheTableOfADuckDbFileThroughTheDatabricksDriverAfterTheWarehouseStarts() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, true);
        Path keys = directory.resolve("keys");
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "databricks", "--data",
                data.toString(), "--key-dir", keys.toString(), "--startup-delay", "PT2S");
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving cdi.default.users from " + data.toAbsolutePath()
                    + " as a Databricks SQL warehouse on 127.0.0.1:").contains("(stopped; starting takes PT2S)");
            String connection = printed.substring(printed.indexOf("    connector: databricks\n"),
                    printed.indexOf(FakeWarehouseCommand.SERVING_LINE));
            Path tokenFile = keys.toAbsolutePath().resolve(FakeWarehouseCommand.DATABRICKS_TOKEN_FILE);
            assertThat(connection).contains("    connection:\n", "      ssl: false\n", "      catalog: cdi\n",
                    "      httpPath: /sql/1.0/warehouses/", "      token: ${file:" + tokenFile + "}\n");
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(printed).doesNotContain(Files.readString(tokenFile).strip());
            Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + connection
                    + "    table: default.users\n"
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
            int port = Integer.parseInt(TestingFakeWarehouse.group(PORT, printed));

            assertThat(fake.stop()).isZero();

            assertThat(fake.out()).endsWith(FakeWarehouseCommand.SERVING_LINE + "\nStopped.\n");
            assertThat(TestingFakeWarehouse.listening(port)).as("the fake stopped listening").isFalse();
        } finally {
            fake.stopQuietly();
        }
    }

    @Test
    void anOptionOfAnotherWarehouseOrABadCatalogIsAUsageError() throws Exception {
        TestingCli.Result snowflake = TestingCli.run("fake-warehouse", "snowflake", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--startup-delay", "PT5S");
        TestingCli.Result databricks = TestingCli.run("fake-warehouse", "databricks", "--data",
                TestingFakeWarehouse.usersFile(directory, true).toString(), "--project", "trial-project");
        TestingCli.Result badCatalog = TestingCli.run("fake-warehouse", "databricks", "--data",
                TestingFakeWarehouse.usersFile(directory, true).toString(), "--catalog", "a.b");

        TestingCli.assertUsageError(snowflake, "--startup-delay is for databricks only", directory);
        TestingCli.assertUsageError(databricks, "--project is for bigquery only", directory);
        TestingCli.assertUsageError(badCatalog, "--catalog must be a simple name", directory);
    }

}
