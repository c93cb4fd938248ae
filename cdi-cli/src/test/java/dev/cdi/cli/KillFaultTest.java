package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code cdi sync} of a 1,000,000-row table at random instants, by SIGKILL and by SIGTERM, then lets a last
 * run finish: no row is lost, no line is corrupt, and the duplicates stay within the bound README states (one
 * checkpoint interval plus a batch per SIGKILL; none for a SIGTERM, which stops at a checkpoint).
 */
@Tag("slow")
class KillFaultTest {
    private static final int ROWS = 1_000_000;
    private static final int KILLS = 6;
    private static final int CHECKPOINT_EVERY = 10_000;
    private static final int BATCH_SIZE = 500;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path directory;

    @Test
    void randomKillsLoseNothingCorruptNothingAndRepeatAtMostOneCheckpointIntervalEach() throws Exception {
        long seed = System.nanoTime();
        System.out.println("Kill instants drawn with seed " + seed);
        Random random = new Random(seed);
        Path warehouse = directory.resolve("warehouse.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE main.users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            // Three rows per UPDATED_AT, so that kills land inside groups too.
            statement.execute("INSERT INTO main.users SELECT TIMESTAMP '2026-01-01' + to_microseconds(i // 3), "
                    + "'u' || i, '{\"n\":' || i || ',\"plan\":\"gold\"}' FROM range(" + ROWS + ") t(i)");
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
        Path sink = directory.resolve("out/users.jsonl");

        int sigkills = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process sync = startSync(config);
            long threshold = Files.exists(sink) ? Files.size(sink) : 0;
            threshold += 1_000_000 + random.nextInt(8_000_000);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (sync.isAlive() && (!Files.exists(sink) || Files.size(sink) < threshold)) {
                assertThat(Instant.now()).as("the sync wrote nothing for too long").isBefore(deadline);
                Thread.sleep(5);
            }
            if (!sync.isAlive()) {
                break;
            }
            boolean sigkill = kill % 2 == 0;
            if (sigkill) {
                sync.destroyForcibly();
                sigkills++;
            } else {
                sync.destroy();
            }
            assertThat(sync.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        Process last = startSync(config);
        assertThat(last.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).isZero();

        ObjectMapper json = new ObjectMapper();
        BitSet seen = new BitSet(ROWS);
        long lines = 0;
        long duplicates = 0;
        try (BufferedReader reader = Files.newBufferedReader(sink, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                JsonNode row = json.readTree(line);
                int n = row.get("payload").get("n").asInt();
                assertThat(row.get("identifier").get("value").asText()).isEqualTo("u" + n);
                if (seen.get(n)) {
                    duplicates++;
                }
                seen.set(n);
            }
        }
        System.out.println(lines + " lines, " + duplicates + " duplicates after " + sigkills + " SIGKILLs and "
                + (KILLS - sigkills) + " SIGTERMs");
        assertThat(seen.cardinality()).as("rows delivered at least once").isEqualTo(ROWS);
        assertThat(duplicates).isLessThanOrEqualTo((long) sigkills * (CHECKPOINT_EVERY + BATCH_SIZE));
    }

    private Process startSync(Path config) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Cdi.class.getName(), "sync", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sync-" + System.nanoTime() + ".log").toFile())
                .start();
    }
}
