package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.testkit.TestingRedshiftServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdi sync} against a connector with a secret, its password given as <code>${env:NAME}</code>: a child process,
 * because only a child's environment can be set.
 */
class SecretReferenceSyncTest {
    private static final String VARIABLE = "CDI_TEST_REDSHIFT_PASSWORD";

    @TempDir
    Path directory;

    @Test
    void syncsWithThePasswordFromTheEnvironment() throws Exception {
        try (TestingRedshiftServer redshift = TestingRedshiftServer.start()) {
            redshift.execute("CREATE SCHEMA crm",
                    "CREATE TABLE crm.users (updated_at timestamptz, external_id varchar, payload varchar)",
                    "INSERT INTO crm.users VALUES ('2026-01-02 03:04:05+00', 'u1', '{\"plan\":\"gold\"}')");
            Path config = directory.resolve("cdi.yaml");
            Files.writeString(config, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + "    connector: redshift\n"
                    + "    connection:\n"
                    + "      host: " + redshift.host() + "\n"
                    + "      port: " + redshift.port() + "\n"
                    + "      database: " + redshift.database() + "\n"
                    + "      user: " + redshift.user() + "\n"
                    + "      password: ${env:" + VARIABLE + "}\n"
                    + "      ssl: false\n"
                    + "      connectTimeout: PT5S\n"
                    + "    table: crm.users\n"
                    + "    dataType: attributes\n"
                    + "    sink:\n"
                    + "      jsonl: out/users.jsonl\n");
            Path log = directory.resolve("sync.log");
            ProcessBuilder sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), Cdi.class.getName(),
                    "sync", "--config", config.toString(), "--json")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            sync.environment().put(VARIABLE, redshift.password());

            Process process = sync.start();

            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("cdi sync ended").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\"status\":\"SUCCESS\"").doesNotContain(redshift.password());
            List<String> lines = Files.readAllLines(directory.resolve("out/users.jsonl"), StandardCharsets.UTF_8);
            assertThat(lines).singleElement().asString().contains("\"value\":\"u1\"").contains("\"plan\":\"gold\"");
        }
    }
}
