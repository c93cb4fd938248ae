package dev.cdi.fabric;

import dev.cdi.api.Column;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a large table of the testing Fabric server through the connector in a JVM of its own and prints how many rows
 * came, how fast and how much heap was in use. Run by {@link FabricStreamingTest} with a small heap. The client
 * secret comes in the environment variable {@value #SECRET_VARIABLE}.
 *
 * <p>Arguments: {@code host port warehouse tenantId clientId authorityHost certificateFile table}.
 */
public final class TestingFabricLargeRead {
    static final String SECRET_VARIABLE = "CDI_TESTING_FABRIC_SECRET";

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private TestingFabricLargeRead() {
    }

    /**
     * Reads the table.
     *
     * @param arguments the server's address, the principal and the table
     * @throws Exception when anything fails; the exit code is then non-zero
     */
    public static void main(String[] arguments) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", arguments[0]);
        settings.put("port", arguments[1]);
        settings.put("warehouse", arguments[2]);
        settings.put("tenantId", arguments[3]);
        settings.put("clientId", arguments[4]);
        settings.put("authorityHost", arguments[5]);
        settings.put("trustedCertificate", arguments[6]);
        settings.put("encrypt", "strict");
        settings.put("clientSecret", System.getenv(SECRET_VARIABLE));
        TableName table = TableName.parse(arguments[7]);
        long count = 0;
        long chars = 0;
        long maxUsed = 0;
        long started;
        try (SourceConnector connector = TestingFabric.open(settings)) {
            ReadRequest request = new ReadRequest(table, connector.describe(table),
                    RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")), OptionalLong.empty());
            started = System.nanoTime();
            try (RowStream stream = connector.read(request)) {
                Instant previous = Instant.MIN;
                while (stream.hasNext()) {
                    SourceRow row = stream.next();
                    Instant updatedAt = row.updatedAt().orElseThrow();
                    if (updatedAt.isBefore(previous)) {
                        throw new AssertionError("row " + count + " is out of order");
                    }
                    previous = updatedAt;
                    chars += row.value(Column.PAYLOAD).orElseThrow().length();
                    if (++count % 20_000 == 0) {
                        maxUsed = Math.max(maxUsed, MEMORY.getHeapMemoryUsage().getUsed());
                    }
                }
            }
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        System.out.println("rows=" + count + " payloadChars=" + chars + " millis=" + millis + " rowsPerSecond="
                + count * 1000 / millis + " maxHeapUsedMb=" + maxUsed / (1 << 20) + " heapLimitMb="
                + MEMORY.getHeapMemoryUsage().getMax() / (1 << 20));
    }
}
