package dev.cdi.micrometer;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import dev.cdi.api.Watermark;
import dev.cdi.core.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records CDI runs in a Micrometer {@link MeterRegistry}. Every meter is tagged {@value #INTEGRATION} and
 * {@value #CONNECTOR}:
 *
 * <ul>
 *   <li>{@value #ROWS_READ}, {@value #ROWS_SYNCED}, {@value #ROWS_FAILED}, {@value #ROWS_DEFERRED}: counters of
 *       rows, from each run's result;
 *   <li>{@value #RUN_DURATION}: a timer of runs, also tagged {@value #STATUS} (the run's
 *       {@link dev.cdi.api.RunStatus});
 *   <li>{@value #WATERMARK_LAG}: a gauge of seconds between the warehouse's clock, as the last run read it, and the
 *       watermark after that run: how far behind the integration is;
 *   <li>{@value #SINK_BATCH_LATENCY}: a timer of batches from handing them to the sink until acknowledged;
 *   <li>{@value #SINK_RETRIES}: a counter of failed sink attempts that were retried and then succeeded.
 * </ul>
 *
 * <pre>{@code
 * CdiService.builder().listener(new MicrometerRunListener(meterRegistry))...
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every integration of a service.
 */
public final class MicrometerRunListener implements RunListener {
    /** Counter of rows read as new. */
    public static final String ROWS_READ = "cdi.rows.read";
    /** Counter of rows the sink accepted. */
    public static final String ROWS_SYNCED = "cdi.rows.synced";
    /** Counter of rows with a row error. */
    public static final String ROWS_FAILED = "cdi.rows.failed";
    /** Counter of rows left for a later run, newer than the run's upper bound. */
    public static final String ROWS_DEFERRED = "cdi.rows.deferred";
    /** Timer of runs. */
    public static final String RUN_DURATION = "cdi.run.duration";
    /** Gauge of seconds the watermark is behind the warehouse's clock. */
    public static final String WATERMARK_LAG = "cdi.watermark.lag";
    /** Timer of sink batches. */
    public static final String SINK_BATCH_LATENCY = "cdi.sink.batch.latency";
    /** Counter of sink retries. */
    public static final String SINK_RETRIES = "cdi.sink.retries";
    /** Tag: the integration's name. */
    public static final String INTEGRATION = "integration";
    /** Tag: the connector's name. */
    public static final String CONNECTOR = "connector";
    /** Tag of {@value #RUN_DURATION}: how the run ended. */
    public static final String STATUS = "status";

    private final MeterRegistry registry;
    private final Map<String, Instant> warehouseTimes = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicLong> lags = new ConcurrentHashMap<>();

    /**
     * Records into a registry.
     *
     * @param registry where the meters go
     */
    public MicrometerRunListener(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public void warehouseTimeRead(Run run, Instant warehouseTime) {
        warehouseTimes.put(run.runId(), warehouseTime);
    }

    @Override
    public void batchDelivered(Run run, int rows, Duration latency, int retries) {
        Tags tags = tags(run);
        Timer.builder(SINK_BATCH_LATENCY)
                .description("Time from handing a batch to the sink until it answered, retries included")
                .tags(tags)
                .register(registry)
                .record(latency);
        if (retries > 0) {
            retries(tags).increment(retries);
        }
    }

    @Override
    public void runEnded(Run run, RunResult result) {
        Tags tags = tags(run);
        counter(ROWS_READ, "Rows read as new", tags).increment(result.rowsRead());
        counter(ROWS_SYNCED, "Rows the sink accepted", tags).increment(result.rowsSynced());
        counter(ROWS_FAILED, "Rows with a row error, from validation or the sink", tags).increment(result.rowsFailed());
        counter(ROWS_DEFERRED, "Rows newer than the run's upper bound, left for a later run", tags)
                .increment(result.rowsDeferred());
        retries(tags);
        Timer.builder(RUN_DURATION)
                .description("Runs, by how they ended")
                .tags(tags.and(STATUS, result.status().name()))
                .register(registry)
                .record(result.duration());
        Instant warehouseTime = warehouseTimes.remove(run.runId());
        if (warehouseTime != null) {
            AtomicLong lag = lags.computeIfAbsent(tags, key -> {
                AtomicLong seconds = new AtomicLong();
                Gauge.builder(WATERMARK_LAG, seconds, AtomicLong::doubleValue)
                        .description("Seconds between the warehouse's clock at the last run and the watermark")
                        .baseUnit("seconds")
                        .tags(key)
                        .strongReference(true)
                        .register(registry);
                return seconds;
            });
            // Before the first checkpoint nothing is synced yet: the lag is the whole of the warehouse's history,
            // which no alert could use, so the gauge keeps its last value (0 at first).
            result.watermark().map(Watermark::updatedAt).ifPresent(watermark ->
                    lag.set(Math.max(0, Duration.between(watermark, warehouseTime).toSeconds())));
        }
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).baseUnit("rows").tags(tags).register(registry);
    }

    private Counter retries(Tags tags) {
        return Counter.builder(SINK_RETRIES).description("Sink attempts that failed and were retried").tags(tags)
                .register(registry);
    }

    private static Tags tags(Run run) {
        return Tags.of(INTEGRATION, run.integration(), CONNECTOR, run.connector());
    }
}
