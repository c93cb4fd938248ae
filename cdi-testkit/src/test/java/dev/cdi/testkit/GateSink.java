package dev.cdi.testkit;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A sink that holds every batch until released (at most 30 s), so a test can keep a run in progress. */
final class GateSink implements RowSink {
    /** Counted down when the first batch arrives: a run is in progress. */
    final CountDownLatch entered = new CountDownLatch(1);
    /** Counted down by the test to let the batches through. */
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        entered.countDown();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
    }
}
