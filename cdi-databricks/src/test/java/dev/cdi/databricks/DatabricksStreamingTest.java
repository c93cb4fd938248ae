package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.testkit.TestingDatabricksServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's memory bound, in a JVM of its own: a table of about 200 MB of text, served in 40 Cloud Fetch chunks
 * of 10,000 rows, is read in a 64 MB heap: the driver holds at most two chunks. Inline JSON results, which the driver holds whole, could not be.
 */
@Tag("slow")
class DatabricksStreamingTest {
    private static final Logger LOG = LoggerFactory.getLogger(DatabricksStreamingTest.class);
    private static final int ROWS = 400_000;
    private static final int PAYLOAD_CHARS = 500;
    /** About 5 MB of Arrow per chunk; Databricks sizes its own chunks (tens of MB), which a real heap must allow for. */
    private static final int ROWS_PER_CHUNK = 10_000;
    private static TestingDatabricksServer server;

    @BeforeAll
    static void createLargeTable() {
        server = TestingDatabricksServer.start();
        server.setRowsPerChunk(ROWS_PER_CHUNK);
        server.createTable("cdi.streaming.big", "updated_at TIMESTAMP, external_id STRING, payload STRING");
        server.execute("INSERT INTO \"" + server.duckDbTableName("cdi.streaming.big") + "\" SELECT TIMESTAMPTZ"
                + " '2026-01-01 00:00:00+00' + i * INTERVAL 1 MICROSECOND, 'user' || i, '{\"n\":' || i || ',\"pad\":\"'"
                + " || repeat('x', " + PAYLOAD_CHARS + ") || '\"}' FROM range(" + ROWS + ") t(i)");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theConnectorStreamsALargeResultOfManyChunksInASmallHeap() throws Exception {
        long started = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-cp", classPath, TestingDatabricksLargeRead.class.getName(),
                server.host(), Integer.toString(server.port()), server.httpPath(), "cdi", "streaming.big"))
                .redirectErrorStream(true);
        builder.environment().put(TestingDatabricksLargeRead.TOKEN_VARIABLE, server.personalAccessToken());
        Process process = builder.start();
        String output;
        int exitCode;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exitCode = process.waitFor();
        } finally {
            process.destroyForcibly();
        }
        LOG.info("-Xmx64m: {} rows of {} payload characters in {} ms, {} chunks: {}", ROWS, PAYLOAD_CHARS,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.chunksServed(),
                output.lines().filter(line -> line.startsWith("rows=")).findFirst().orElse(output));

        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("rows=" + ROWS);
        assertThat(server.chunksServed()).isGreaterThanOrEqualTo(ROWS / ROWS_PER_CHUNK);
    }
}
