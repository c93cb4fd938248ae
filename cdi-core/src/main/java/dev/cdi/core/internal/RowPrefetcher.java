package dev.cdi.core.internal;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import dev.cdi.core.validation.RowVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link RowStream} on a thread of its own, a bounded distance ahead of the consumer, so that fetching and
 * decoding rows (the driver's work) overlaps with validating and delivering them (the pipeline's work). On two
 * cores this about halves a run's time, since each side costs about the same per row.
 *
 * <p>The distance is bounded by rows and by an estimate of the bytes the rows held take (two per character, the
 * most a Java string needs), within a budget that is a sixteenth of the heap (between 4 and 64 MB), so memory stays
 * bounded even with 1 MB payloads in a small heap. A failure of the stream reaches the consumer in order, after the
 * rows read before it; an {@link Error} of the reading thread (running out of memory) reaches it as a failure too,
 * and a reading thread that dies without a word is noticed rather than waited for.
 *
 * <p>Closing stops the reader and returns once the reader has closed the stream: it cancels the read in progress
 * ({@link RowStream#cancel()}), then interrupts the reader if it is still reading, waiting a bounded time after each
 * step. A reader that outlives both waits (a driver call that ignores cancel and interrupt) is logged and left to
 * close the stream itself when its read returns, so the stream is never closed under a read.
 *
 * <p>Given a validator, the rows are also validated ahead, a chunk at a time, on a few worker threads (as many as the
 * machine has cores, between 2 and 8), and handed over in their order with their verdicts: validation (parsing each
 * payload) costs several times what the driver's decoding does, and it depends on nothing but the row, so it runs in
 * parallel while the consumer keeps the order-dependent work (watermark groups, fingerprints, batches).
 *
 * <p>One consumer thread; not thread-safe otherwise.
 */
final class RowPrefetcher implements AutoCloseable {
    private static final int CHUNK_ROWS = 256;
    private static final long CHUNK_BYTES = 2L << 20;
    private static final int MAX_CHUNKS = 32;
    /** The read-ahead budget in kilobytes: a sixteenth of the heap, between 4 and 64 MB. */
    private static final int BUDGET_KILOBYTES = (int) Math.max(4 * 1024,
            Math.min(64 * 1024, Runtime.getRuntime().maxMemory() / 16 / 1024));
    private static final long ROW_OVERHEAD_BYTES = 128;
    private static final Duration READER_CHECK = Duration.ofSeconds(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RowPrefetcher.class);

    private static final int VALIDATORS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private record Chunk(List<SourceRow> rows, List<RowVerdict> verdicts, int permits, RuntimeException failure,
            boolean last) {
    }

    private final String integration;
    private final RowStream rows;
    private final Duration cancelWait;
    private final Duration interruptWait;
    private final Optional<Function<SourceRow, RowVerdict>> validator;
    private final Optional<ExecutorService> validators;
    private final BlockingQueue<CompletableFuture<Chunk>> queue = new ArrayBlockingQueue<>(MAX_CHUNKS + 1);
    private final Semaphore budget = new Semaphore(BUDGET_KILOBYTES);
    private final Thread reader;
    private volatile boolean stopped;
    private Chunk current;
    private int position;
    private boolean finished;

    RowPrefetcher(String integration, RowStream rows) {
        this(integration, rows, Optional.empty(), STOP_WAIT, STOP_WAIT);
    }

    /**
     * As {@link #RowPrefetcher(String, RowStream)}, validating each row ahead; {@link #verdict()} gives the verdict.
     *
     * @param validator validates one row; called on worker threads, so it must be thread-safe
     */
    RowPrefetcher(String integration, RowStream rows, Function<SourceRow, RowVerdict> validator) {
        this(integration, rows, Optional.of(validator), STOP_WAIT, STOP_WAIT);
    }

    /**
     * As {@link #RowPrefetcher(String, RowStream)}, with the waits of closing.
     *
     * @param cancelWait how long closing waits for the reader to end after cancelling the read
     * @param interruptWait how long it then waits after interrupting the reader
     */
    RowPrefetcher(String integration, RowStream rows, Duration cancelWait, Duration interruptWait) {
        this(integration, rows, Optional.empty(), cancelWait, interruptWait);
    }

    private RowPrefetcher(String integration, RowStream rows, Optional<Function<SourceRow, RowVerdict>> validator,
            Duration cancelWait, Duration interruptWait) {
        this.integration = integration;
        this.rows = rows;
        this.validator = validator;
        AtomicInteger threads = new AtomicInteger();
        this.validators = validator.map(unused -> Executors.newFixedThreadPool(VALIDATORS, task -> {
            Thread thread = new Thread(RunLogContext.propagate(task),
                    "cdi-validate-" + integration + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }));
        this.cancelWait = cancelWait;
        this.interruptWait = interruptWait;
        this.reader = new Thread(RunLogContext.propagate(this::readAll), "cdi-read-" + integration);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        List<SourceRow> chunk = new ArrayList<>(CHUNK_ROWS);
        long bytes = 0;
        try (RowStream stream = rows) {
            while (!stopped && stream.hasNext()) {
                SourceRow row = stream.next();
                chunk.add(row);
                bytes += 2L * row.value(Column.PAYLOAD).map(String::length).orElse(0) + ROW_OVERHEAD_BYTES;
                if (chunk.size() == CHUNK_ROWS || bytes >= CHUNK_BYTES) {
                    hand(chunk, bytes, null, false);
                    chunk = new ArrayList<>(CHUNK_ROWS);
                    bytes = 0;
                }
            }
            hand(chunk, bytes, null, true);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException failure) {
            try {
                // The rows read before the failure still reach the consumer, then the failure.
                hand(chunk, bytes, failure, true);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        } catch (OutOfMemoryError exhausted) {
            // Drop the rows held first: they free the memory the report needs. None was checkpointed.
            chunk = null;
            handQuietly(new CdiException(ErrorCode.OUT_OF_MEMORY, "[" + integration + "] The reading thread ran out"
                    + " of memory (" + exhausted.getMessage() + ", maximum heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); give the process more heap"));
        } catch (Error fatal) {
            chunk = null;
            handQuietly(new CdiException(ErrorCode.INTERNAL_ERROR, "[" + integration + "] The reading thread failed: "
                    + fatal, fatal));
        }
    }

    private void handQuietly(RuntimeException failure) {
        try {
            hand(new ArrayList<>(), 0, failure, true);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void hand(List<SourceRow> chunk, long bytes, RuntimeException failure, boolean last)
            throws InterruptedException {
        int permits = (int) Math.min(BUDGET_KILOBYTES, (bytes + 1023) / 1024);
        budget.acquire(permits);
        if (stopped) {
            budget.release(permits);
            return;
        }
        if (validators.isEmpty() || chunk.isEmpty()) {
            queue.put(CompletableFuture.completedFuture(new Chunk(chunk, List.of(), permits, failure, last)));
            return;
        }
        Function<SourceRow, RowVerdict> validate = validator.orElseThrow();
        queue.put(CompletableFuture.supplyAsync(() -> {
            List<RowVerdict> verdicts = new ArrayList<>(chunk.size());
            for (SourceRow row : chunk) {
                verdicts.add(validate.apply(row));
            }
            return new Chunk(chunk, verdicts, permits, failure, last);
        }, validators.get()));
    }

    boolean hasNext() {
        while (current == null || position == current.rows().size()) {
            if (current != null) {
                budget.release(current.permits());
                RuntimeException failure = current.failure();
                current = null;
                if (failure != null) {
                    finished = true;
                    throw failure;
                }
            }
            if (finished) {
                return false;
            }
            current = take();
            position = 0;
            finished = current.last();
        }
        return true;
    }

    SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.rows().get(position++);
    }

    /**
     * The verdict of the row {@link #next()} returned last, when this prefetcher validates.
     *
     * @return the verdict
     * @throws IllegalStateException when there is no validator or no row yet
     */
    RowVerdict verdict() {
        if (validator.isEmpty() || current == null || position == 0) {
            throw new IllegalStateException("no verdict: " + (validator.isEmpty() ? "no validator" : "no row yet"));
        }
        return current.verdicts().get(position - 1);
    }

    private Chunk take() {
        try {
            while (true) {
                CompletableFuture<Chunk> chunk = queue.poll(READER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    return chunk.get();
                }
                if (!reader.isAlive() && queue.isEmpty()) {
                    throw new CdiException(ErrorCode.INTERNAL_ERROR, "[" + integration + "] The reading thread "
                            + "ended without handing over its last rows or its failure; please report it with the log");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdiException(ErrorCode.QUERY_FAILED, "Interrupted while waiting for rows", e);
        } catch (ExecutionException e) {
            // A validator's failure (a bug, or running out of memory) reaches the consumer as it was thrown.
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CdiException(ErrorCode.INTERNAL_ERROR, "[" + integration + "] Validating rows failed: " + cause,
                    cause);
        }
    }

    @Override
    public void close() {
        stopped = true;
        validators.ifPresent(ExecutorService::shutdownNow);
        queue.clear();
        budget.release(BUDGET_KILOBYTES);
        if (!reader.isAlive()) {
            return;
        }
        // A reader in hand() wakes up now that there is room and sees stopped; one blocked in the stream needs
        // the read cancelled. Cancelling an unfinished read is also what the stream itself does on an early close.
        try {
            rows.cancel();
        } catch (RuntimeException e) {
            log.debug("[{}] Cancelling the read failed", integration, e);
        }
        boolean interrupted = awaitReader(cancelWait);
        if (reader.isAlive()) {
            reader.interrupt();
            interrupted |= awaitReader(interruptWait);
        }
        if (reader.isAlive()) {
            log.warn("[{}] The reader thread {} is still in a read {} ms after it was cancelled and interrupted; "
                    + "the stream is left to that thread to close when the read returns", integration,
                    reader.getName(), cancelWait.plus(interruptWait).toMillis());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the reader to end. An interrupt of this thread does not cut the wait short, since the stream must
     * not be closed under a read; it interrupts the reader at once instead.
     *
     * @param wait the longest wait
     * @return whether this thread was interrupted, for the caller to restore once done
     */
    private boolean awaitReader(Duration wait) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + wait.toNanos();
        while (reader.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(reader, left);
            } catch (InterruptedException e) {
                interrupted = true;
                reader.interrupt();
            }
        }
        return interrupted;
    }
}
