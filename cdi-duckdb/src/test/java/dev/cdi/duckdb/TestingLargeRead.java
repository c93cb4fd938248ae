package dev.cdi.duckdb;

import dev.cdi.api.Column;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Streams a large in-memory table through the connector and prints how many rows came, in order. Run by
 * {@link DuckDbStreamingTest} in a JVM with a small heap, where holding the rows would run out of memory.
 */
public final class TestingLargeRead {

    private TestingLargeRead() {
    }

    /**
     * Creates the table and reads it.
     *
     * @param arguments the number of rows
     * @throws Exception when anything fails; the exit code is then non-zero
     */
    public static void main(String[] arguments) throws Exception {
        long rows = Long.parseLong(arguments[0]);
        TableName table = TableName.parse("main.big");
        try (TestingDuckDb database = new TestingDuckDb();
                SourceConnector connector = DuckDbConnectorProvider.forConnection(database.connection)) {
            database.execute("CREATE TABLE big AS SELECT TIMESTAMP '2026-01-01' + to_microseconds(i) AS updated_at,"
                    + " 'user' || i AS external_id, '{\"n\":' || i || ',\"pad\":\"' || repeat('x', 100) || '\"}' AS payload"
                    + " FROM range(" + rows + ") t(i)");
            long count = 0;
            long maxUsed = 0;
            Instant previous = Instant.MIN;
            Runtime runtime = Runtime.getRuntime();
            try (RowStream stream = connector.read(new ReadRequest(table, connector.describe(table),
                    RowFilter.above(Instant.EPOCH), OptionalLong.empty()))) {
                while (stream.hasNext()) {
                    SourceRow row = stream.next();
                    Instant updatedAt = row.updatedAt().orElseThrow();
                    if (updatedAt.isBefore(previous) || row.value(Column.PAYLOAD).isEmpty()) {
                        throw new AssertionError("row " + count + " is out of order or has no payload");
                    }
                    previous = updatedAt;
                    count++;
                    if (count % 100_000 == 0) {
                        maxUsed = Math.max(maxUsed, runtime.totalMemory() - runtime.freeMemory());
                    }
                }
            }
            System.out.println("rows=" + count + " maxHeapUsedMb=" + maxUsed / (1024 * 1024));
        }
    }
}
