package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.testkit.TestingRedshiftServer;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by bytes, not only by rows: 300 rows of payloads just under the 1 MB limit (300 MB in all) sync
 * whole in a 256 MB heap through the real Redshift driver, whose read-ahead the connector bounds in bytes, and the
 * pipeline's read-ahead and batches, bounded in bytes too. In a child JVM, so that the test JVM keeps its memory.
 */
@Tag("slow")
class RedshiftLargeRowsTest {
    private static final int ROWS = 300;
    private static final int PAYLOAD_CHARS = 1_000_000;

    @TempDir
    Path directory;

    @AfterEach
    void drop() {
        TestingRedshift.server().execute("DROP SCHEMA IF EXISTS large_rows CASCADE");
    }

    @Test
    void threeHundredOneMegabyteRowsSyncWholeInA256MegabyteHeap() throws Exception {
        TestingRedshiftServer server = TestingRedshift.server();
        server.execute("CREATE SCHEMA large_rows",
                "CREATE TABLE large_rows.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO large_rows.users SELECT timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', "
                        + "'u' || i, '{\"blob\":\"' || repeat('x', " + (PAYLOAD_CHARS - 20) + ") || '\"}' "
                        + "FROM generate_series(1, " + ROWS + ") i");
        Path sink = directory.resolve("users.jsonl");
        Path output = directory.resolve("sync.out");

        Process sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SyncProcess.class.getName(), server.host(),
                Integer.toString(server.port()), server.database(), server.user(), server.password(),
                "large_rows.users", sink.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = sync.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            sync.destroyForcibly();
        }

        assertThat(ended).as("the sync ended by itself").isTrue();
        assertThat(sync.exitValue()).as(Files.readString(output)).isZero();
        Set<String> ids = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader lines = Files.newBufferedReader(sink, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                ids.add(json.readTree(line).get("identifier").get("value").asText());
            }
        }
        assertThat(ids).hasSize(ROWS);
    }
}
