package dev.cdi.bench;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Accepts every row and does nothing else: the pipeline's cost alone. */
final class AcceptingSink implements RowSink {
    @Override
    public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
    }
}
