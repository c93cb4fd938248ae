package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.testkit.TestingRedshiftServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's memory bound, in JVMs of their own: a table of about 200 MB of text is read in a 64 MB heap;
 * and in a 512 MB heap, paused after the first row until the driver's read-ahead stops, the connector holds a few
 * megabytes where the driver with its default settings reads the whole table ahead.
 */
@Tag("slow")
class RedshiftStreamingTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftStreamingTest.class);
    private static final int ROWS = 400_000;
    private static final int PAYLOAD_CHARS = 500;
    private static final Pattern HEAP_AFTER_PAUSE = Pattern.compile("heapAfterPauseMb=(\\d+)");
    private static TestingRedshiftServer server;

    @BeforeAll
    static void createLargeTable() {
        server = TestingRedshift.server();
        // UNLOGGED (PostgreSQL only; the test server is PostgreSQL) skips writing 200 MB of WAL: half the set-up time.
        server.execute("CREATE SCHEMA streaming_test",
                "CREATE UNLOGGED TABLE streaming_test.big (updated_at timestamp, external_id varchar(64), payload varchar(65535))",
                "INSERT INTO streaming_test.big SELECT TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1 microsecond',"
                        + " 'user' || i, '{\"n\":' || i || ',\"pad\":\"' || repeat('x', " + PAYLOAD_CHARS + ") || '\"}'"
                        + " FROM generate_series(1, " + ROWS + ") AS i");
    }

    @AfterAll
    static void dropTable() {
        server.execute("DROP SCHEMA streaming_test CASCADE");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theConnectorStreamsALargeTableInASmallHeap() throws Exception {
        long started = System.nanoTime();
        Result result = readInOwnJvm("-Xmx64m", "connector", false);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.info("-Xmx64m, connector: {} rows of {} payload characters in {} ms: {}", ROWS, PAYLOAD_CHARS, millis,
                result.summary());

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output).contains("rows=" + ROWS);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theConnectorBoundsTheReadAheadThatTheDriverDefaultsLetGrow() throws Exception {
        Result connector = readInOwnJvm("-Xmx512m", "connector", true);
        Result driverDefaults = readInOwnJvm("-Xmx512m", "driver-defaults", true);
        LOG.info("-Xmx512m, paused after the first row: connector {}; driver defaults {}", connector.summary(),
                driverDefaults.summary());

        assertThat(connector.exitCode).as(connector.output).isZero();
        assertThat(driverDefaults.exitCode).as(driverDefaults.output).isZero();
        assertThat(connector.heapAfterPauseMb()).isLessThan(48);
        assertThat(driverDefaults.heapAfterPauseMb()).isGreaterThan(3 * connector.heapAfterPauseMb() + 64);
    }

    private static Result readInOwnJvm(String heap, String mode, boolean pause) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(java, heap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", classPath, TestingRedshiftLargeRead.class.getName(), mode, pause ? "pause" : "no-pause",
                server.host(), Integer.toString(server.port()), server.database(), server.user(), "streaming_test.big"))
                .redirectErrorStream(true);
        builder.environment().put(TestingRedshiftLargeRead.PASSWORD_VARIABLE, server.password());
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
        String summary() {
            return output.lines().filter(line -> line.startsWith("rows=")).findFirst().orElse(output.strip());
        }

        long heapAfterPauseMb() {
            Matcher matcher = HEAP_AFTER_PAUSE.matcher(output);
            if (!matcher.find()) {
                throw new AssertionError("no heap figure in: " + output);
            }
            return Long.parseLong(matcher.group(1));
        }
    }
}
