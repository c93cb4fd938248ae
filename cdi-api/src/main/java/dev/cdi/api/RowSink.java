package dev.cdi.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where resolved rows go: implemented by applications (to an HTTP API, Kafka, a database, ...).
 *
 * <p>The pipeline calls {@link #write} with batches of at most {@link SyncOptions#batchSize()} rows in {@code UPDATED_AT}
 * order, one batch at a time: the next batch is handed over only after the stage returned for the previous one
 * has completed, so a sink sees rows in order even when it completes asynchronously (the pipeline reads and
 * validates the following rows meanwhile). The answer holds one non-null {@link RowOutcome} per row, in the
 * batch's order, in any list (an immutable one such as {@code List.of} or {@code List.copyOf} will do).
 *
 * <p>A batch whose stage completes exceptionally (or whose call throws) is a transient failure: the pipeline
 * retries the same batch with back-off, and if it keeps failing the run ends with status {@code ERROR} and
 * {@link ErrorCode#SINK_FAILED}, and the watermark does not move past that batch. So a sink must tolerate receiving
 * a batch again (at-least-once). The one exception: a stage that completes exceptionally with (or a call that throws)
 * a {@link CdiException} whose code is not {@linkplain ErrorCode#retryable() retryable}, such as
 * {@link ErrorCode#AUTHENTICATION_FAILED} when the destination refuses the sink's credentials, is not retried: the
 * run ends at once with status {@code ERROR} and that error, and the watermark stays before that batch.
 *
 * <p>An answer that breaks this contract (a {@code null} stage, a {@code null} list, a {@code null} outcome, or a
 * number of outcomes other than the batch's rows) is a defect in the sink, not a transient failure: the run ends
 * at once, without a retry, with {@link ErrorCode#SINK_CONTRACT_VIOLATED}, and the watermark stays before that
 * batch.
 *
 * <p>Implementations need not be thread-safe: one run calls one sink from one thread at a time. A sink used by
 * several integrations at once must be thread-safe.
 */
public interface RowSink {

    /**
     * Delivers a batch.
     *
     * @param batch rows in {@code UPDATED_AT} order; never empty; the list is not modified after the call
     * @return a stage (never {@code null}) completing with the outcome of every row, or exceptionally when the whole
     *     batch failed
     */
    CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch);

}
