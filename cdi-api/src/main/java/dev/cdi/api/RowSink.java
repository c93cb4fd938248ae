package dev.cdi.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where resolved rows go: implemented by applications (to an HTTP API, Kafka, a database, ...).
 *
 * <p>The pipeline calls {@link #write} with batches of at most {@link SyncOptions#batchSize()} rows in {@code UPDATED_AT}
 * order, one batch at a time: the next batch is handed over only after the stage returned for the previous one
 * has completed, so a sink sees rows in order even when it completes asynchronously (the pipeline reads and
 * validates the following rows meanwhile). The answer holds one {@link RowOutcome} per row, in the batch's
 * order.
 *
 * <p>A batch whose stage completes exceptionally (or whose call throws) is a transient failure: the pipeline
 * retries the same batch with back-off, and if it keeps failing the run ends with status {@code ERROR} and the
 * watermark does not move past that batch. So a sink must tolerate receiving a batch again (at-least-once).
 *
 * <p>Implementations need not be thread-safe: one run calls one sink from one thread at a time. A sink used by
 * several integrations at once must be thread-safe.
 */
public interface RowSink {

    /**
     * Delivers a batch.
     *
     * @param batch rows in {@code UPDATED_AT} order; never empty; the list is not modified after the call
     * @return a stage completing with the outcome of every row, or exceptionally when the whole batch failed
     */
    CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch);

}
