package dev.cdi.databricks;

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
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a large table of the testing Databricks server through the connector in a JVM of its own and prints how
 * many rows came and the most heap seen in use. Run by {@link DatabricksStreamingTest} with a small heap. The token
 * comes in the environment variable {@value #TOKEN_VARIABLE}.
 *
 * <p>Arguments: {@code host port httpPath catalog table}.
 */
public final class TestingDatabricksLargeRead {
    static final String TOKEN_VARIABLE = "CDI_TESTING_DATABRICKS_TOKEN";

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private TestingDatabricksLargeRead() {
    }

    /**
     * Reads the table.
     *
     * @param arguments the host, port, HTTP path, catalog and table
     * @throws Exception when anything fails; the exit code is then non-zero
     */
    public static void main(String[] arguments) throws Exception {
        Map<String, String> settings = Map.of("host", arguments[0], "port", arguments[1], "httpPath", arguments[2],
                "catalog", arguments[3], "ssl", "false", "token", System.getenv(TOKEN_VARIABLE));
        TableName table = TableName.parse(arguments[4]);
        long count = 0;
        long maxUsed = 0;
        DatabricksConnectorProvider provider = new DatabricksConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()));
                RowStream stream = connector.read(new ReadRequest(table, connector.describe(table),
                        RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")),
                        OptionalLong.empty()))) {
            Instant previous = Instant.MIN;
            while (stream.hasNext()) {
                SourceRow row = stream.next();
                Instant updatedAt = row.updatedAt().orElseThrow();
                if (updatedAt.isBefore(previous) || row.value(Column.PAYLOAD).isEmpty()) {
                    throw new AssertionError("row " + count + " is out of order or has no payload");
                }
                previous = updatedAt;
                if (++count % 20_000 == 0) {
                    maxUsed = Math.max(maxUsed, MEMORY.getHeapMemoryUsage().getUsed());
                }
            }
        }
        System.out.println("rows=" + count + " maxHeapUsedMb=" + maxUsed / (1024 * 1024));
        System.exit(0);
    }
}
