package dev.cdi.core.internal;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands batches to the sink one at a time, retrying a failed batch with exponential back-off. One batch may be in
 * flight while the run reads the next; it is awaited before the next is sent, so the sink sees rows in order even
 * after a retry. An answer that breaks the {@link RowSink} contract (no stage, no list, a null outcome, a wrong
 * number of outcomes) is not retried: it fails the run at once with {@link ErrorCode#SINK_CONTRACT_VIOLATED}. Nor is
 * a failure with a {@link CdiException} whose code is not retryable: the run ends with that error as the sink gave it.
 * Not thread-safe.
 */
final class BatchDelivery {
    private static final Logger log = LoggerFactory.getLogger(BatchDelivery.class);

    private final String integration;
    private final RowSink sink;
    private final int attempts;
    private final Duration backoff;
    private final RunTally tally;
    private List<ResolvedRow> inFlight;
    private CompletionStage<List<RowOutcome>> inFlightStage;
    private long inFlightSince;
    private final Delivered delivered;

    /** Hears of each acknowledged batch. */
    interface Delivered {
        void batch(int rows, Duration latency, int retries);
    }

    BatchDelivery(String integration, RowSink sink, int attempts, Duration backoff, RunTally tally) {
        this(integration, sink, attempts, backoff, tally, (rows, latency, retries) -> { });
    }

    BatchDelivery(String integration, RowSink sink, int attempts, Duration backoff, RunTally tally,
            Delivered delivered) {
        this.delivered = delivered;
        this.integration = integration;
        this.sink = sink;
        this.attempts = attempts;
        this.backoff = backoff;
        this.tally = tally;
    }

    /** Sends a batch after the one in flight has been acknowledged. The list must not be changed afterwards. */
    void send(List<ResolvedRow> batch) {
        awaitInFlight();
        inFlight = batch;
        inFlightSince = System.nanoTime();
        inFlightStage = call(batch);
    }

    /** Waits until every batch sent has been acknowledged, retrying a failed one. */
    void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        List<ResolvedRow> batch = inFlight;
        CompletionStage<List<RowOutcome>> stage = inFlightStage;
        inFlight = null;
        inFlightStage = null;
        for (int attempt = 1; ; attempt++) {
            if (stage == null) {
                throw contractViolation(batch, "the sink returned null instead of a CompletionStage");
            }
            List<RowOutcome> outcomes;
            try {
                outcomes = await(stage);
            } catch (ExecutionException | RuntimeException failure) {
                Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
                if (Thread.currentThread().isInterrupted() && failure instanceof CdiException interrupted) {
                    throw interrupted;
                }
                if (cause instanceof CdiException fatal && !fatal.retryable()) {
                    // The sink says waiting cannot help (refused credentials, missing permission): end the run
                    // with its error rather than repeat a request that is sure to fail again.
                    throw fatal;
                }
                if (attempt >= attempts) {
                    throw new CdiException(ErrorCode.SINK_FAILED, "[" + integration + "] The sink failed " + attempts
                            + " times on " + describe(batch) + ": " + cause + "; the watermark stays before this batch",
                            cause);
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
                log.warn("[{}] Sink failed on a batch of {} rows (attempt {} of {}), retrying in {} ms: {}",
                        integration, batch.size(), attempt, attempts, wait.toMillis(), cause.toString());
                sleep(wait);
                stage = call(batch);
                continue;
            }
            // Outside the retry: an answer that breaks the contract is a defect in the sink, which a retry repeats.
            record(batch, checked(batch, outcomes));
            delivered.batch(batch.size(), Duration.ofNanos(System.nanoTime() - inFlightSince), attempt - 1);
            return;
        }
    }

    /** Calls the sink; a null stage is returned as is, for {@link #awaitInFlight} to report. */
    private CompletionStage<List<RowOutcome>> call(List<ResolvedRow> batch) {
        try {
            return sink.write(batch);
        } catch (RuntimeException thrown) {
            return CompletableFuture.failedFuture(thrown);
        }
    }

    private List<RowOutcome> await(CompletionStage<List<RowOutcome>> stage) throws ExecutionException {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdiException(ErrorCode.SINK_FAILED, "[" + integration + "] Interrupted while waiting for the sink", e);
        }
    }

    /** The sink's answer, copied, once it is known to hold one non-null outcome per row. */
    private List<RowOutcome> checked(List<ResolvedRow> batch, List<RowOutcome> answer) {
        if (answer == null) {
            throw contractViolation(batch, "the sink answered null instead of a list of outcomes");
        }
        // Copied before checking, so a sink that still holds its list cannot change it between check and use;
        // checked element by element, since contains(null) throws on immutable lists such as List.of.
        List<RowOutcome> outcomes = new ArrayList<>(answer);
        if (outcomes.size() != batch.size()) {
            throw contractViolation(batch, "the sink answered " + outcomes.size() + " outcomes for a batch of "
                    + batch.size() + " rows");
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == null) {
                throw contractViolation(batch, "outcome " + i + " is null (counting from 0; one outcome per row)");
            }
        }
        return outcomes;
    }

    private CdiException contractViolation(List<ResolvedRow> batch, String problem) {
        return new CdiException(ErrorCode.SINK_CONTRACT_VIOLATED, "[" + integration + "] The sink broke the RowSink "
                + "contract on " + describe(batch) + ": " + problem + ". This is a defect in the sink, so the batch "
                + "is not retried; the watermark stays before this batch");
    }

    private static String describe(List<ResolvedRow> batch) {
        return "a batch of " + batch.size() + " rows (UPDATED_AT " + batch.get(0).updatedAt() + " to "
                + batch.get(batch.size() - 1).updatedAt() + ")";
    }

    private void record(List<ResolvedRow> batch, List<RowOutcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            RowOutcome outcome = outcomes.get(i);
            if (outcome instanceof RowOutcome.Rejected rejected) {
                tally.rejected(batch.get(i), rejected.code(), rejected.message());
            } else {
                tally.rowsSynced++;
            }
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdiException(ErrorCode.SINK_FAILED, "[" + integration + "] Interrupted while waiting to retry the sink", e);
        }
    }
}
