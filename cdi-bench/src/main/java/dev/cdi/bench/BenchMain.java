package dev.cdi.bench;

import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark behind {@code bench/run}: for each source, the raw JDBC scan against the full sync of the same
 * table, alternating, several repetitions, medians; then (unless {@code --quick}) a 10,000,000-row sync with a
 * 256 MB heap, the growth from 100,000 to 10,000,000 rows, and the JMH hot-path benchmarks. The last line is
 * machine-readable:
 * {@code RESULT duckdb_raw_rps=<n> duckdb_read_rps=<n> duckdb_sync_rps=<n> duckdb_ratio=<x> redshift_raw_rps=<n>
 * redshift_read_rps=<n> redshift_sync_rps=<n> redshift_ratio=<x> peak_heap_mb=<n> braze_rps_n1=<n> braze_rps_n4=<n>
 * braze_rps_n16=<n>}, where {@code read} is the connector's read alone and {@code braze_rps_nN} the rows per second
 * through the Braze sink into the fake Braze (20 ms answer latency) with N requests in flight
 * ({@link BrazeThroughput}).
 */
public final class BenchMain {
    private static final long DEFAULT_ROWS = 1_000_000;
    private static final long QUICK_ROWS = 200_000;
    private static final long LARGE_ROWS = 10_000_000;

    private BenchMain() {
    }

    /** The medians of one source. */
    private record Medians(double rawRowsPerSecond, double readRowsPerSecond, double syncRowsPerSecond,
            long peakHeapMegabytes) {
        double ratio() {
            return syncRowsPerSecond / rawRowsPerSecond;
        }

        double readRatio() {
            return readRowsPerSecond / rawRowsPerSecond;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code [--quick] [--rows N] [--repetitions N] [--checkpoint-every N]}
     * @throws Exception when a benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        long rows = DEFAULT_ROWS;
        int repetitions = 5;
        boolean rowsGiven = false;
        SyncOptions options = SyncOptions.defaults();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--rows" -> {
                    rows = Long.parseLong(args[++i].replace("_", ""));
                    rowsGiven = true;
                }
                case "--repetitions" -> repetitions = Integer.parseInt(args[++i]);
                case "--checkpoint-every" -> options = SyncOptions.builder()
                        .checkpointEvery(Integer.parseInt(args[++i].replace("_", ""))).build();
                default -> {
                    System.err.println("usage: bench/run [--quick] [--rows N] [--repetitions N] [--checkpoint-every N]");
                    System.exit(2);
                }
            }
        }
        if (quick) {
            rows = rowsGiven ? rows : QUICK_ROWS;
            repetitions = Math.min(repetitions, 3);
        }
        Path directory = Files.createTempDirectory("cdi-bench-");
        try {
            List<BenchSource> sources = BenchSources.open(directory);
            Map<String, Medians> headline = headline(sources, rows, repetitions, directory, options);
            for (BenchSource source : sources) {
                source.close();
            }
            System.out.println("== Braze sink into the fake Braze over HTTP on 127.0.0.1");
            Map<Integer, Double> braze = BrazeThroughput.measure(quick ? 20_000 : 50_000,
                    BrazeThroughput.LATENCY);
            long peakHeap = headline.values().stream().mapToLong(Medians::peakHeapMegabytes).max().orElse(0);
            if (!quick) {
                Optional<Long> largePeak = largeAndGrowth(directory);
                if (largePeak.isPresent()) {
                    peakHeap = largePeak.get();
                }
                hotPath();
            }
            Medians duck = headline.get("duckdb");
            Medians redshift = headline.get("redshift");
            System.out.printf(Locale.ROOT, "RESULT duckdb_raw_rps=%.0f duckdb_read_rps=%.0f duckdb_sync_rps=%.0f "
                    + "duckdb_ratio=%.2f redshift_raw_rps=%s redshift_read_rps=%s redshift_sync_rps=%s redshift_ratio=%s "
                    + "peak_heap_mb=%d braze_rps_n1=%.0f braze_rps_n4=%.0f braze_rps_n16=%.0f%n",
                    duck.rawRowsPerSecond(), duck.readRowsPerSecond(), duck.syncRowsPerSecond(), duck.ratio(),
                    redshift == null ? "NA" : String.format(Locale.ROOT, "%.0f", redshift.rawRowsPerSecond()),
                    redshift == null ? "NA" : String.format(Locale.ROOT, "%.0f", redshift.readRowsPerSecond()),
                    redshift == null ? "NA" : String.format(Locale.ROOT, "%.0f", redshift.syncRowsPerSecond()),
                    redshift == null ? "NA" : String.format(Locale.ROOT, "%.2f", redshift.ratio()), peakHeap,
                    braze.get(1), braze.get(4), braze.get(16));
        } finally {
            LargeTableSync.deleteRecursively(directory);
        }
    }

    private static Map<String, Medians> headline(List<BenchSource> sources, long rows, int repetitions, Path directory,
            SyncOptions options) throws Exception {
        System.out.printf("== Headline: %,d rows, raw JDBC scan vs the connector's read alone vs full sync (a checkpoint every %,d rows), %d "
                + "repetitions alternating, medians%n", rows, options.checkpointEvery(), repetitions);
        for (BenchSource source : sources) {
            long start = System.nanoTime();
            source.load(rows);
            System.out.printf("  %s: loaded in %.1f s%n", source.name(), (System.nanoTime() - start) / 1e9);
        }
        Map<String, List<Double>> raw = new LinkedHashMap<>();
        Map<String, List<Double>> read = new LinkedHashMap<>();
        Map<String, List<Double>> sync = new LinkedHashMap<>();
        Map<String, Long> peaks = new LinkedHashMap<>();
        int run = 0;
        for (int repetition = 0; repetition <= repetitions; repetition++) {
            boolean warmUp = repetition == 0;
            for (BenchSource source : sources) {
                long start = System.nanoTime();
                long scanned = source.rawScan();
                double rawRate = scanned / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                long readRows = source.connectorRead();
                double readRate = readRows / ((System.nanoTime() - start) / 1e9);
                HeapPeak.reset();
                start = System.nanoTime();
                RunResult result = source.sync(directory.resolve("state-" + run++), options);
                double syncRate = result.rowsRead() / ((System.nanoTime() - start) / 1e9);
                long peak = HeapPeak.megabytes();
                if (result.status() != RunStatus.SUCCESS || result.rowsSynced() != rows || scanned != rows || readRows != rows) {
                    throw new IllegalStateException(source.name() + ": expected " + rows + " rows, scanned " + scanned
                            + ", sync " + result);
                }
                if (!warmUp) {
                    raw.computeIfAbsent(source.name(), name -> new ArrayList<>()).add(rawRate);
                    read.computeIfAbsent(source.name(), name -> new ArrayList<>()).add(readRate);
                    sync.computeIfAbsent(source.name(), name -> new ArrayList<>()).add(syncRate);
                    peaks.merge(source.name(), peak, Math::max);
                }
                System.out.printf("  %-9s %s raw %,10.0f rows/s   read %,10.0f rows/s   sync %,10.0f rows/s   peak heap"
                        + " %4d MB%n", source.name(), warmUp ? "warm-up" : "run " + repetition, rawRate, readRate,
                        syncRate, peak);
            }
        }
        Map<String, Medians> medians = new LinkedHashMap<>();
        System.out.println();
        System.out.printf("  %-9s %14s %14s %10s %14s %8s %10s%n", "source", "raw rows/s", "read rows/s", "read/raw",
                "sync rows/s", "sync/raw", "peak heap");
        for (BenchSource source : sources) {
            Medians m = new Medians(median(raw.get(source.name())), median(read.get(source.name())),
                    median(sync.get(source.name())), peaks.get(source.name()));
            medians.put(source.name(), m);
            System.out.printf("  %-9s %,14.0f %,14.0f %10.2f %,14.0f %8.2f %7d MB%n", source.name(), m.rawRowsPerSecond(),
                    m.readRowsPerSecond(), m.readRatio(), m.syncRowsPerSecond(), m.ratio(), m.peakHeapMegabytes());
        }
        System.out.println();
        return medians;
    }

    /** The 10,000,000-row run with a 256 MB heap (also the largest growth point), then 100,000 and 1,000,000. */
    private static Optional<Long> largeAndGrowth(Path directory) throws IOException, InterruptedException {
        System.out.println("== Memory and growth: DuckDB syncs in a JVM with -Xmx256m");
        Optional<Long> peak = Optional.empty();
        for (long rows : new long[] {100_000, 1_000_000, LARGE_ROWS}) {
            Map<String, String> large = child(List.of("-Xmx256m", LargeTableSync.class.getName(), Long.toString(rows)));
            System.out.printf("  %,12d rows: %,10.0f rows/s, peak heap %s MB%n", rows,
                    Double.parseDouble(large.get("rows_per_second")), large.get("peak_heap_mb"));
            if (rows == LARGE_ROWS) {
                peak = Optional.of(Long.parseLong(large.get("peak_heap_mb")));
            }
        }
        System.out.println();
        return peak;
    }

    private static void hotPath() throws IOException, InterruptedException {
        System.out.println("== Hot path (JMH): validation + resolution, ns per row");
        child(List.of("org.openjdk.jmh.Main", HotPathBenchmark.class.getSimpleName(), "-foe", "true"));
        System.out.println();
    }

    /** Runs a main class in a child JVM on this classpath, echoing its output; returns its last line's pairs. */
    private static Map<String, String> child(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("    " + line);
                last = line;
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed: " + command);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : last.split(" ")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                pairs.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return pairs;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
