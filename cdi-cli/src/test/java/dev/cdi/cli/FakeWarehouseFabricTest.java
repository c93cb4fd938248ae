package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi fake-warehouse fabric}: served in-process and stopped by interrupting its thread. */
class FakeWarehouseFabricTest {
    private static final Pattern PORT = Pattern.compile("(?m)^      port: (\\d+)$");

    @TempDir
    Path directory;

    @Test
    void syncsTheTableOfADuckDbFileThroughMicrosoftsDriverAndEntraCredential() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, true);
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "fabric", "--data", data.toString());
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving dbo.users from " + data.toAbsolutePath()
                    + " as Microsoft Fabric warehouse cdi_warehouse on 127.0.0.1:");
            String connection = printed.substring(printed.indexOf("    connector: fabric\n"),
                    printed.indexOf(FakeWarehouseCommand.SERVING_LINE));
            assertThat(connection).contains("    connection:\n", "      host: 127.0.0.1\n",
                    "      warehouse: cdi_warehouse\n", "      encrypt: strict\n", "      tenantId: ",
                    "      clientId: ", "      clientSecret: ", "      authorityHost: https://127.0.0.1:",
                    "      trustedCertificate: ");
            Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + connection
                    + "    table: dbo.users\n"
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
            assertThat(fake.err()).isEmpty();
            assertThat(TestingFakeWarehouse.listening(port)).as("the fake stopped listening").isFalse();
        } finally {
            fake.stopQuietly();
        }
    }

    @Test
    void anOptionOfAnotherWarehouseIsAUsageError() throws Exception {
        TestingCli.Result result = TestingCli.run("fake-warehouse", "fabric", "--data", TestingFakeWarehouse.usersFile(directory, true).toString(),
                "--key-dir", directory.resolve("keys").toString());

        TestingCli.assertUsageError(result, "--key-dir is for bigquery and snowflake only", directory);
        assertThat(directory.resolve("keys")).doesNotExist();
    }

}
