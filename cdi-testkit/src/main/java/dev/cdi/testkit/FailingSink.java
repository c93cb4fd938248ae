package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A {@link RowSink} that fails on purpose and passes everything else to a delegate (a {@link RecordingSink} by
 * default): it rejects chosen rows with a row error, throws on chosen calls, or fails every call after a number of
 * successful ones. Calls are numbered from 1, counting retries.
 *
 * <p>Thread-safe.
 */
public final class FailingSink implements RowSink {
    private final RowSink delegate;
    private final Set<Integer> failingCalls = new HashSet<>();
    private Predicate<ResolvedRow> rejected = row -> false;
    private RowErrorCode rejectionCode = RowErrorCode.USER_NOT_FOUND;
    private int failAllAfter = Integer.MAX_VALUE;
    private int calls;

    /**
     * A failing sink in front of a delegate.
     *
     * @param delegate where rows that are not failed go
     */
    public FailingSink(RowSink delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /**
     * A failing sink in front of a new {@link RecordingSink}.
     */
    public FailingSink() {
        this(new RecordingSink());
    }

    /**
     * The delegate.
     *
     * @return the sink that receives the rows this one does not fail
     */
    public RowSink delegate() {
        return delegate;
    }

    /**
     * Rejects the rows that match, with a row error.
     *
     * @param rows which rows
     * @param code the row error code to answer
     * @return this sink
     */
    public synchronized FailingSink rejectRows(Predicate<ResolvedRow> rows, RowErrorCode code) {
        this.rejected = requireNonNull(rows, "rows is null");
        this.rejectionCode = requireNonNull(code, "code is null");
        return this;
    }

    /**
     * Throws on these calls of {@link #write} (1 is the first call).
     *
     * @param callNumbers the calls that fail
     * @return this sink
     */
    public synchronized FailingSink failCalls(int... callNumbers) {
        for (int call : callNumbers) {
            failingCalls.add(call);
        }
        return this;
    }

    /**
     * Throws on every call after this many calls.
     *
     * @param successfulCalls calls that work before the sink breaks for good
     * @return this sink
     */
    public synchronized FailingSink failAllCallsAfter(int successfulCalls) {
        this.failAllAfter = successfulCalls;
        return this;
    }

    /**
     * How many times {@link #write} was called, failed calls included.
     *
     * @return the count
     */
    public synchronized int calls() {
        return calls;
    }

    @Override
    public synchronized CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        calls++;
        if (failingCalls.contains(calls) || calls > failAllAfter) {
            throw new IllegalStateException("Sink failure injected on call " + calls);
        }
        List<ResolvedRow> passed = new ArrayList<>();
        for (ResolvedRow row : batch) {
            if (!rejected.test(row)) {
                passed.add(row);
            }
        }
        List<RowOutcome> delegated = passed.isEmpty() ? List.of() : delegate.write(passed).toCompletableFuture().join();
        List<RowOutcome> outcomes = new ArrayList<>(batch.size());
        int next = 0;
        for (ResolvedRow row : batch) {
            outcomes.add(rejected.test(row) ? RowOutcome.rejected(rejectionCode, "Rejected (injected by FailingSink)")
                    : delegated.get(next++));
        }
        return CompletableFuture.completedFuture(List.copyOf(outcomes));
    }
}
