package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table of 1 MB rows in a 256 MB heap through the DuckDB driver, which turns 2,048 rows at a time into Java
 * strings: the driver itself runs out of memory, and the process must end, saying it ran out of memory, rather
 * than hang (it waited forever before). Where the error lands depends on which thread's allocation fails first: a
 * run error (RESOURCES) or the JVM's own report. Run in a child JVM, so that the test JVM keeps its memory. The
 * same table through the Redshift driver, whose read-ahead is bounded in bytes, syncs whole: see
 * RedshiftLargeRowsTest.
 */
@Tag("slow")
class LargeRowsTest {
    private static final int ROWS = 300;
    private static final int PAYLOAD_CHARS = 1_000_000;

    @TempDir
    Path directory;

    @Test
    void aDriverRunningOutOfMemoryEndsTheRunWithAClearErrorInsteadOfHanging() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + directory.resolve("warehouse.duckdb"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE main.users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("INSERT INTO main.users SELECT TIMESTAMP '2026-01-01' + to_microseconds(i), 'u' || i, "
                    + "'{\"blob\":\"' || repeat('x', " + (PAYLOAD_CHARS - 20) + ") || '\"}' FROM range(" + ROWS + ") t(i)");
        }
        Path config = Files.writeString(directory.resolve("cdi.yaml"), "stateDir: state\n"
                + "integrations:\n"
                + "  - name: users\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: warehouse.duckdb\n"
                + "    table: main.users\n"
                + "    dataType: attributes\n"
                + "    sink:\n"
                + "      jsonl: out/users.jsonl\n");

        Path output = directory.resolve("sync.out");
        Process sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Cdi.class.getName(), "sync", "--config",
                config.toString(), "--json")
                .redirectError(directory.resolve("sync.err").toFile()).redirectOutput(output.toFile()).start();
        boolean ended = sync.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            sync.destroyForcibly();
        }

        assertThat(ended).as("the sync ended by itself").isTrue();
        assertThat(sync.exitValue()).isNotZero();
        String said = Files.readString(output) + Files.readString(directory.resolve("sync.err"));
        assertThat(said).containsAnyOf("Java heap space", "OutOfMemoryError");
        if (!Files.readString(output).isBlank()) {
            JsonNode run = new ObjectMapper().readTree(Files.readString(output));
            assertThat(run.get("status").asText()).isEqualTo("ERROR");
            assertThat(run.get("error").get("category").asText()).isEqualTo("RESOURCES");
        }
    }
}
