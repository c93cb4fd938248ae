package dev.cdi.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("slow")
class DuckDbStreamingTest {
    private static final int ROWS = 2_000_000;

    /**
     * Two million rows of about 150 bytes each would need several hundred megabytes of heap if held; a JVM with
     * 48 MB reads them all, so the connector holds a bounded number of rows.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void streamsTwoMillionRowsWithASmallHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp", classPath,
                TestingLargeRead.class.getName(), Integer.toString(ROWS))
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
        } finally {
            process.destroyForcibly();
        }

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("rows=" + ROWS);
    }
}
