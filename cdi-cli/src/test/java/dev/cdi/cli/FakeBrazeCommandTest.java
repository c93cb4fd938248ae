package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdi fake-braze} served in-process, and {@code cdi sync} with a {@code braze} sink against it: the sink block
 * it prints is pasted into a configuration as is.
 */
class FakeBrazeCommandTest {
    @TempDir
    Path directory;

    @Test
    void cdiSyncWithABrazeSinkDeliversToTheFakeStartedFromTheCommandLine() throws Exception {
        Path data = directory.resolve("crm.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + data);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("INSERT INTO users VALUES ('2026-01-02 03:04:05', 'u1', '{\"plan\":\"gold\"}'), "
                    + "('2026-01-02 03:04:06', 'u2', '{\"plan\":\"silver\"}')");
            statement.execute("CREATE TABLE items (UPDATED_AT TIMESTAMP, ID VARCHAR, PAYLOAD VARCHAR, DELETED BOOLEAN)");
            statement.execute("INSERT INTO items VALUES ('2026-01-02 03:04:05', 'r1', '{\"name\":\"Golden\"}', false)");
        }
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-braze", "--catalog", "restaurants");
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving a fake Braze REST API on http://127.0.0.1:");
            String sink = printed.substring(printed.indexOf("    sink:\n"), printed.indexOf(FakeWarehouseCommand.SERVING_LINE));
            assertThat(sink).contains("      braze:\n", "        endpoint: http://127.0.0.1:", "        apiKey: ",
                    "        catalogName: restaurants\n");
            String key = sink.substring(sink.indexOf("apiKey: ") + "apiKey: ".length(), sink.indexOf('\n',
                    sink.indexOf("apiKey: ")));
            String endpoint = sink.substring(sink.indexOf("endpoint: ") + "endpoint: ".length(), sink.indexOf('\n',
                    sink.indexOf("endpoint: ")));
            Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + "    connector: duckdb\n"
                    + "    connection:\n"
                    + "      path: crm.duckdb\n"
                    + "    table: main.users\n"
                    + "    dataType: attributes\n"
                    + "    sink:\n"
                    + "      braze:\n"
                    + "        endpoint: " + endpoint + "\n"
                    + "        apiKey: ${env:CDI_TEST_BRAZE_KEY_THAT_IS_NOT_SET}\n"
                    + "  - name: restaurants\n"
                    + "    connector: duckdb\n"
                    + "    connection:\n"
                    + "      path: crm.duckdb\n"
                    + "    table: main.items\n"
                    + "    dataType: catalog\n"
                    + sink.replace("    sink:\n", "    sink:\n"));

            TestingCli.Result missingKey = TestingCli.run("sync", "--config", config.toString(), "--json");

            assertThat(missingKey.exitCode()).isEqualTo(2);
            assertThat(missingKey.err()).contains("CDI_TEST_BRAZE_KEY_THAT_IS_NOT_SET").doesNotContain(key);

            Path keyFile = java.nio.file.Files.writeString(directory.resolve("braze.key"), key + "\n");
            java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
                    .replace("${env:CDI_TEST_BRAZE_KEY_THAT_IS_NOT_SET}", "${file:" + keyFile + "}"));

            TestingCli.Result sync = TestingCli.run("sync", "--config", config.toString(), "--json");

            assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
            assertThat(sync.out()).contains("\"integration\":\"users\",\"status\":\"SUCCESS\"")
                    .contains("\"integration\":\"restaurants\",\"status\":\"SUCCESS\"");
            assertThat(fake.stop()).isZero();
            assertThat(fake.out()).contains("The fake held 2 user profiles and 1 catalog items, from 3 objects "
                    + "delivered in 2 requests.");
        } finally {
            fake.stopQuietly();
        }
    }

    @Test
    void aCatalogIntegrationWithoutACatalogNameIsAConfigurationError() throws Exception {
        Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                + "integrations:\n"
                + "  - name: items\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: crm.duckdb\n"
                + "    table: main.items\n"
                + "    dataType: catalog\n"
                + "    sink:\n"
                + "      braze:\n"
                + "        endpoint: https://rest.iad-01.braze.com\n"
                + "        apiKey: k\n");

        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("catalogName").contains("is required for a catalog integration");
    }

    @Test
    void httpToAnotherHostAndTwoSinksAreConfigurationErrors() throws Exception {
        String head = "stateDir: state\n"
                + "integrations:\n"
                + "  - name: users\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: crm.duckdb\n"
                + "    table: main.users\n"
                + "    dataType: attributes\n"
                + "    sink:\n";
        Path config = TestingCli.writeConfig(directory, head + "      braze:\n"
                + "        endpoint: http://rest.iad-01.braze.com\n"
                + "        apiKey: k\n");

        TestingCli.Result http = TestingCli.run("sync", "--config", config.toString());

        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.err()).contains("must use https");

        TestingCli.writeConfig(directory, head + "      jsonl: out.jsonl\n      braze:\n"
                + "        endpoint: https://rest.iad-01.braze.com\n        apiKey: k\n");

        TestingCli.Result both = TestingCli.run("sync", "--config", config.toString());

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give exactly one sink");
    }
}
