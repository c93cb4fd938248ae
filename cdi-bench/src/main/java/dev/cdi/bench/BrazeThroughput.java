package dev.cdi.bench;

import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.WriteMode;
import dev.cdi.braze.BrazeSink;
import dev.cdi.braze.BrazeSinkConfig;
import dev.cdi.testkit.TestingBrazeServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows per second through {@link BrazeSink} into {@link TestingBrazeServer} over real HTTP on 127.0.0.1, with N
 * requests in flight, batches handed over one at a time as the pipeline does. The fake answers after a fixed latency
 * (a network round trip to a Braze instance), so the number shows what requests in flight buy; compare it with the
 * warehouse read of the headline. Its last line is machine-readable:
 * {@code BRAZE rows=<n> latency_ms=<n> rps_n1=<n> rps_n4=<n> rps_n16=<n>}.
 */
public final class BrazeThroughput {
    /** The requests in flight measured. */
    static final List<Integer> IN_FLIGHT = List.of(1, 4, 16);
    /** The fake's answer latency. */
    static final Duration LATENCY = Duration.ofMillis(20);
    /** Rows per batch: the pipeline's largest, so that a batch holds enough requests to keep 16 in flight. */
    static final int BATCH_SIZE = 10_000;

    private BrazeThroughput() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optionally the row count (default 50,000) and the fake's latency in milliseconds (default 20)
     */
    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 50_000L;
        Duration latency = args.length > 1 ? Duration.ofMillis(Long.parseLong(args[1])) : LATENCY;
        Map<Integer, Double> result = measure(rows, latency);
        System.out.printf("BRAZE rows=%d latency_ms=%d rps_n1=%.0f rps_n4=%.0f rps_n16=%.0f%n", rows, latency.toMillis(),
                result.get(1), result.get(4), result.get(16));
    }

    /**
     * Measures rows per second for each number of requests in flight of {@link #IN_FLIGHT}.
     *
     * @param rows how many attribute rows to deliver per measurement
     * @param latency how long the fake waits before it answers each request
     * @return rows per second by requests in flight
     */
    static Map<Integer, Double> measure(long rows, Duration latency) {
        Map<Integer, Double> rowsPerSecond = new LinkedHashMap<>();
        for (int inFlight : IN_FLIGHT) {
            try (TestingBrazeServer braze = TestingBrazeServer.start()) {
                braze.setLatency(latency);
                BrazeSink sink = new BrazeSink(BrazeSinkConfig.builder().endpoint(braze.url()).apiKey(braze.apiKey())
                        .maxRequestsInFlight(inFlight).build());
                Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
                long start = System.nanoTime();
                long delivered = 0;
                for (long first = 0; first < rows; first += BATCH_SIZE) {
                    List<ResolvedRow> batch = new ArrayList<>(BATCH_SIZE);
                    for (long i = first; i < Math.min(rows, first + BATCH_SIZE); i++) {
                        batch.add(new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("user-" + i),
                                WriteMode.CREATE_OR_UPDATE, t0.plusMillis(i),
                                Optional.of("{\"plan\":\"gold\",\"visits\":" + i + ",\"city\":\"Berlin\"}"), false));
                    }
                    List<RowOutcome> outcomes = sink.write(batch).toCompletableFuture().join();
                    delivered += outcomes.stream().filter(outcome -> outcome instanceof RowOutcome.Accepted).count();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (delivered != rows || braze.profiles().size() != rows) {
                    throw new IllegalStateException("expected " + rows + " rows delivered, got " + delivered + " and "
                            + braze.profiles().size() + " profiles");
                }
                rowsPerSecond.put(inFlight, rows / seconds);
                System.out.printf("  braze sink, %2d in flight, %d ms latency: %,10.0f rows/s (%d requests)%n", inFlight,
                        latency.toMillis(), rows / seconds, braze.requests().size());
            }
        }
        return rowsPerSecond;
    }
}
