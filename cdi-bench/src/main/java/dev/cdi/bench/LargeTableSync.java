package dev.cdi.bench;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.FileStateStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Syncs a generated attributes table of N rows (default 5,000,000) from a DuckDB file into a sink that accepts
 * everything, with the durable state store, and prints rows per second and the peak heap. Run it with a small
 * heap ({@code -Xmx256m}) to show that memory does not grow with the table.
 */
public final class LargeTableSync {
    private LargeTableSync() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optionally the row count
     * @throws Exception when the set-up fails
     */
    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 5_000_000L;
        Path directory = Files.createTempDirectory("cdi-bench-");
        try {
            Path database = directory.resolve("warehouse.duckdb");
            long generateStart = System.nanoTime();
            generate(database, rows);
            System.out.printf("generated %,d rows in %.1f s%n", rows, (System.nanoTime() - generateStart) / 1e9);

            long scanStart = System.nanoTime();
            long scanned = rawScan(database);
            double scanSeconds = (System.nanoTime() - scanStart) / 1e9;
            System.out.printf("raw JDBC scan (same columns, ordered, streamed, no processing): %.1f s, %,.0f rows/s%n",
                    scanSeconds, scanned / scanSeconds);

            SyncSpec spec = SyncSpec.builder()
                    .integration("bench")
                    .connector("duckdb", ConnectorSettings.of(Map.of("path", database.toString())))
                    .table("main.users")
                    .dataType(DataType.ATTRIBUTES)
                    .build();
            SyncEngine engine = SyncEngine.builder().stateStore(new FileStateStore(directory.resolve("state"))).build();
            System.gc();
            resetPeakHeap();
            long start = System.nanoTime();
            RunResult result = engine.run(spec, new AcceptingSink());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("status %s, rows read %,d, synced %,d, failed %,d%n", result.status(), result.rowsRead(),
                    result.rowsSynced(), result.rowsFailed());
            System.out.printf("sync: %.1f s, %,.0f rows/s, peak heap %d MB (max heap %d MB)%n", seconds,
                    result.rowsRead() / seconds, peakHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
            if (result.rowsSynced() != rows) {
                System.err.println("FAILED: expected " + rows + " rows synced");
                System.exit(1);
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void generate(Path database, long rows) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE main.users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, EMAIL VARCHAR, "
                    + "PAYLOAD VARCHAR)");
            // About 200 bytes of payload with some nesting; several rows share each UPDATED_AT.
            statement.execute("INSERT INTO main.users SELECT "
                    + "TIMESTAMP '2026-01-01 00:00:00' + to_microseconds(i // 4 * 1000), "
                    + "CASE WHEN i % 10 = 0 THEN NULL ELSE 'user-' || i END, "
                    + "CASE WHEN i % 10 = 0 THEN 'user' || i || '@example.com' ELSE NULL END, "
                    + "'{\"first_name\":\"Name' || i || '\",\"plan\":\"' || (CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'free' END) "
                    + "|| '\",\"score\":' || (i % 1000) || ',\"address\":{\"city\":\"City' || (i % 500) || '\",\"zip\":\"' "
                    + "|| lpad(CAST(i % 99999 AS VARCHAR), 5, '0') || '\"},\"tags\":[\"a\",\"b\",\"c' || (i % 7) || '\"],"
                    + "\"active\":true,\"last_order\":\"2025-12-' || lpad(CAST(i % 28 + 1 AS VARCHAR), 2, '0') || '\"}' "
                    + "FROM range(" + rows + ") t(i)");
        }
    }

    private static long rawScan(Path database) throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        long rows = 0;
        long checksum = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, readOnly);
                Statement statement = connection.createStatement()) {
            statement.execute("SET jdbc_stream_results = true");
            try (ResultSet result = statement.executeQuery("SELECT epoch_us(UPDATED_AT), EXTERNAL_ID, EMAIL, PAYLOAD "
                    + "FROM main.users ORDER BY UPDATED_AT")) {
                while (result.next()) {
                    checksum += result.getLong(1);
                    String externalId = result.getString(2);
                    String email = result.getString(3);
                    checksum += (externalId == null ? 0 : externalId.length()) + (email == null ? 0 : email.length())
                            + result.getString(4).length();
                    rows++;
                }
            }
        }
        if (checksum == 42) {
            System.out.println("(unlikely checksum)");
        }
        return rows;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Accepts every row and does nothing else. */
    private static final class AcceptingSink implements RowSink {
        @Override
        public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
            return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
        }
    }
}
