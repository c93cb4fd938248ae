package dev.cdi.testkit;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RowSink} that accepts every row and remembers every batch it received, in order.
 *
 * <p>Thread-safe.
 */
public final class RecordingSink implements RowSink {
    private final List<List<ResolvedRow>> batches = new ArrayList<>();

    /** Creates an empty sink. */
    public RecordingSink() {
    }

    @Override
    public synchronized CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        batches.add(List.copyOf(batch));
        return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
    }

    /**
     * Every row received, in order (a row received twice appears twice).
     *
     * @return a copy of the rows
     */
    public synchronized List<ResolvedRow> rows() {
        List<ResolvedRow> rows = new ArrayList<>();
        batches.forEach(rows::addAll);
        return rows;
    }

    /**
     * Every batch received, in order.
     *
     * @return a copy of the batches
     */
    public synchronized List<List<ResolvedRow>> batches() {
        return List.copyOf(batches);
    }

    /**
     * Forgets everything received.
     */
    public synchronized void clear() {
        batches.clear();
    }
}
