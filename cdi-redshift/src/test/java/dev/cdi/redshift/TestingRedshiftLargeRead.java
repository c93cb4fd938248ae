package dev.cdi.redshift;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Reads a large table of the testing Redshift server in a JVM of its own and prints how many rows came and how
 * much heap was in use. Run by {@link RedshiftStreamingTest} with a small heap. After the first row it may pause
 * until the driver's read-ahead has stopped (it read the whole result, or its buffer is full), so that whatever
 * the driver reads ahead has piled up, then measures the heap in use after a full collection. The password comes
 * in the environment variable {@value #PASSWORD_VARIABLE}.
 *
 * <p>Arguments: {@code connector|driver-defaults pause|no-pause host port database user table}. {@code connector}
 * reads through the connector; {@code driver-defaults} reads with the bare driver and its default settings.
 */
public final class TestingRedshiftLargeRead {
    static final String PASSWORD_VARIABLE = "CDI_TESTING_REDSHIFT_PASSWORD";

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** The name the Redshift driver gives the thread that reads a result ahead into its buffer. */
    private static final String READ_AHEAD_THREAD = "RingBufferThread";
    private static final Duration READ_AHEAD_DEADLINE = Duration.ofSeconds(30);

    private TestingRedshiftLargeRead() {
    }

    /**
     * Reads the table.
     *
     * @param arguments the mode, whether to pause, host, port, database, user and table
     * @throws Exception when anything fails; the exit code is then non-zero
     */
    public static void main(String[] arguments) throws Exception {
        String mode = arguments[0];
        boolean pause = arguments[1].equals("pause");
        String host = arguments[2];
        String port = arguments[3];
        String database = arguments[4];
        String user = arguments[5];
        TableName table = TableName.parse(arguments[6]);
        String password = System.getenv(PASSWORD_VARIABLE);
        long count = 0;
        long maxUsed = 0;
        long afterPause;
        if (mode.equals("connector")) {
            Map<String, String> settings = Map.of("host", host, "port", port, "database", database, "user", user,
                    "password", password, "ssl", "false");
            try (SourceConnector connector = new RedshiftConnectorProvider().open(ConnectorSettings.of(settings));
                    RowStream stream = connector.read(new ReadRequest(table, connector.describe(table),
                            RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")),
                            OptionalLong.empty()))) {
                stream.next();
                count++;
                afterPause = pauseAndMeasure(pause);
                Instant previous = Instant.MIN;
                while (stream.hasNext()) {
                    SourceRow row = stream.next();
                    Instant updatedAt = row.updatedAt().orElseThrow();
                    if (updatedAt.isBefore(previous) || row.value(Column.PAYLOAD).isEmpty()) {
                        throw new AssertionError("row " + count + " is out of order or has no payload");
                    }
                    previous = updatedAt;
                    if (++count % 50_000 == 0) {
                        maxUsed = Math.max(maxUsed, MEMORY.getHeapMemoryUsage().getUsed());
                    }
                }
            }
        } else {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("ssl", "false");
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:redshift://" + host + ":" + port + "/" + database, properties);
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("SELECT * FROM " + table)) {
                resultSet.next();
                count++;
                afterPause = pauseAndMeasure(pause);
                while (resultSet.next()) {
                    if (++count % 50_000 == 0) {
                        maxUsed = Math.max(maxUsed, MEMORY.getHeapMemoryUsage().getUsed());
                    }
                }
            }
        }
        System.out.println("rows=" + count + " heapAfterPauseMb=" + afterPause / (1 << 20) + " maxHeapUsedMb="
                + maxUsed / (1 << 20) + " heapLimitMb=" + MEMORY.getHeapMemoryUsage().getMax() / (1 << 20));
    }

    private static long pauseAndMeasure(boolean pause) throws InterruptedException {
        if (pause) {
            awaitReadAheadStopped();
        }
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /**
     * Waits until no read-ahead thread of the driver runs: each has read the whole result and ended, or waits for
     * room in its full buffer. How long that takes depends on the machine, so it is polled, not guessed.
     */
    private static void awaitReadAheadStopped() throws InterruptedException {
        long deadline = System.nanoTime() + READ_AHEAD_DEADLINE.toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(thread ->
                thread.getName().equals(READ_AHEAD_THREAD) && thread.getState() == Thread.State.RUNNABLE)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The driver still reads ahead after " + READ_AHEAD_DEADLINE);
            }
            Thread.sleep(10);
        }
    }
}
