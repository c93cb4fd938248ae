package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.testkit.TestingFabricServer;
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
 * The connector's memory bound, in a JVM of its own: a table of about 200 MB of text (200,000 rows of 1,000-character
 * payloads), sent by the fake in hundreds of thousands of TDS packets, is read through the real driver in a 64 MB heap.
 */
@Tag("slow")
class FabricStreamingTest {
    private static final Logger LOG = LoggerFactory.getLogger(FabricStreamingTest.class);
    private static final int ROWS = 200_000;
    private static final int PAYLOAD_CHARS = 1_000;
    private static final String TABLE = "streaming_big";

    @BeforeAll
    static void createLargeTable() {
        TestingFabric.server().execute("CREATE TABLE [dbo].[" + TABLE + "] (UPDATED_AT DATETIME2(6), EXTERNAL_ID"
                        + " VARCHAR(64), PAYLOAD VARCHAR(MAX))",
                "CREATE INDEX [ix_" + TABLE + "] ON [dbo].[" + TABLE + "] (UPDATED_AT)",
                "INSERT INTO [dbo].[" + TABLE + "] SELECT DATEADD(MICROSECOND, X, CAST('2026-01-01' AS DATETIME2(6))),"
                        + " 'user' || X, '{\"n\":' || X || ',\"pad\":\"' || REPEAT('x', " + PAYLOAD_CHARS + ") || '\"}'"
                        + " FROM SYSTEM_RANGE(1, " + ROWS + ")");
    }

    @AfterAll
    static void dropTable() {
        TestingFabric.server().execute("DROP TABLE [dbo].[" + TABLE + "]");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theConnectorStreamsALargeTableInASmallHeap() throws Exception {
        TestingFabricServer server = TestingFabric.server();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-cp", classPath, TestingFabricLargeRead.class.getName(), server.host(),
                Integer.toString(server.port()), server.database(), server.tenantId(),
                server.servicePrincipal().clientId(), server.authorityHost(), server.certificateFile().toString(),
                "dbo." + TABLE)).redirectErrorStream(true);
        builder.environment().put(TestingFabricLargeRead.SECRET_VARIABLE, server.servicePrincipal().clientSecret());
        long packets = server.packetsSent();
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exitCode = process.waitFor();
            String summary = output.lines().filter(line -> line.startsWith("rows=")).findFirst().orElse(output.strip());
            LOG.info("-Xmx64m: {} ({} TDS packets)", summary, server.packetsSent() - packets);

            assertThat(exitCode).as(output).isZero();
            assertThat(output).contains("rows=" + ROWS);
            assertThat(server.packetsSent() - packets).isGreaterThan(ROWS * (long) PAYLOAD_CHARS / 32_768);
        } finally {
            process.destroyForcibly();
        }
    }
}
