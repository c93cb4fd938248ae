package dev.cdi.bench;

import dev.cdi.api.RunResult;
import dev.cdi.api.SyncOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Syncs the benchmark table of N rows (default 10,000,000) from a DuckDB file into a sink that accepts everything,
 * with the durable state store, and prints rows per second and the peak heap. Run with a small heap
 * ({@code -Xmx256m}) it shows that memory does not grow with the table. Its last line is machine-readable:
 * {@code LARGE rows=<n> rows_per_second=<n> peak_heap_mb=<n>}.
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
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path directory = Files.createTempDirectory("cdi-bench-large-");
        try (DuckDbBenchSource source = new DuckDbBenchSource(directory)) {
            long generateStart = System.nanoTime();
            source.load(rows);
            System.out.printf("generated %,d rows in %.1f s%n", rows, (System.nanoTime() - generateStart) / 1e9);
            HeapPeak.reset();
            long start = System.nanoTime();
            RunResult result = source.sync(directory.resolve("state"), SyncOptions.defaults());
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = HeapPeak.megabytes();
            System.out.printf("status %s, rows read %,d, synced %,d, failed %,d; %.1f s, %,.0f rows/s, peak heap %d MB "
                    + "(max heap %d MB)%n", result.status(), result.rowsRead(), result.rowsSynced(), result.rowsFailed(),
                    seconds, result.rowsRead() / seconds, peak, Runtime.getRuntime().maxMemory() >> 20);
            if (result.rowsSynced() != rows) {
                System.err.println("FAILED: expected " + rows + " rows synced, the result was " + result);
                System.exit(1);
            }
            System.out.printf("LARGE rows=%d rows_per_second=%.0f peak_heap_mb=%d%n", rows, rows / seconds, peak);
        } finally {
            deleteRecursively(directory);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
