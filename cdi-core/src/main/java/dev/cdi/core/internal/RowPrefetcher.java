package dev.cdi.core.internal;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link RowStream} on a thread of its own, a bounded distance ahead of the consumer, so that fetching and
 * decoding rows (the driver's work) overlaps with validating and delivering them (the pipeline's work). On two
 * cores this about halves a run's time, since each side costs about the same per row.
 *
 * <p>The distance is bounded by rows and by the characters of the rows held, so memory stays bounded even with
 * 1 MB payloads. A failure of the stream reaches the consumer in order, after the rows read before it.
 *
 * <p>Closing stops the reader and returns once the reader has closed the stream: it cancels the read in progress
 * ({@link RowStream#cancel()}), then interrupts the reader if it is still reading, waiting a bounded time after each
 * step. A reader that outlives both waits (a driver call that ignores cancel and interrupt) is logged and left to
 * close the stream itself when its read returns, so the stream is never closed under a read.
 *
 * <p>One consumer thread; not thread-safe otherwise.
 */
final class RowPrefetcher implements AutoCloseable {
    private static final int CHUNK_ROWS = 256;
    private static final long CHUNK_CHARS = 1L << 20;
    private static final int MAX_CHUNKS = 32;
    private static final int BUDGET_KILOCHARS = 32 * 1024;
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RowPrefetcher.class);

    private record Chunk(List<SourceRow> rows, int permits, RuntimeException failure, boolean last) {
    }

    private final String integration;
    private final RowStream rows;
    private final Duration cancelWait;
    private final Duration interruptWait;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(MAX_CHUNKS + 1);
    private final Semaphore budget = new Semaphore(BUDGET_KILOCHARS);
    private final Thread reader;
    private volatile boolean stopped;
    private Chunk current;
    private int position;
    private boolean finished;

    RowPrefetcher(String integration, RowStream rows) {
        this(integration, rows, STOP_WAIT, STOP_WAIT);
    }

    /**
     * As {@link #RowPrefetcher(String, RowStream)}, with the waits of closing.
     *
     * @param cancelWait how long closing waits for the reader to end after cancelling the read
     * @param interruptWait how long it then waits after interrupting the reader
     */
    RowPrefetcher(String integration, RowStream rows, Duration cancelWait, Duration interruptWait) {
        this.integration = integration;
        this.rows = rows;
        this.cancelWait = cancelWait;
        this.interruptWait = interruptWait;
        this.reader = new Thread(this::readAll, "cdi-read-" + integration);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        List<SourceRow> chunk = new ArrayList<>(CHUNK_ROWS);
        long chars = 0;
        try (RowStream stream = rows) {
            while (!stopped && stream.hasNext()) {
                SourceRow row = stream.next();
                chunk.add(row);
                chars += row.value(Column.PAYLOAD).map(String::length).orElse(0) + 64;
                if (chunk.size() == CHUNK_ROWS || chars >= CHUNK_CHARS) {
                    hand(chunk, chars, null, false);
                    chunk = new ArrayList<>(CHUNK_ROWS);
                    chars = 0;
                }
            }
            hand(chunk, chars, null, true);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException failure) {
            try {
                // The rows read before the failure still reach the consumer, then the failure.
                hand(chunk, chars, failure, true);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void hand(List<SourceRow> chunk, long chars, RuntimeException failure, boolean last)
            throws InterruptedException {
        int permits = (int) Math.min(BUDGET_KILOCHARS, (chars + 1023) / 1024);
        budget.acquire(permits);
        if (stopped) {
            budget.release(permits);
            return;
        }
        queue.put(new Chunk(chunk, permits, failure, last));
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

    private Chunk take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdiException(ErrorCode.QUERY_FAILED, "Interrupted while waiting for rows", e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        queue.clear();
        budget.release(BUDGET_KILOCHARS);
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
