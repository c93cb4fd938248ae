package dev.cdi.api;

import java.util.Iterator;

/**
 * Rows streamed from the source: the connector holds at most a bounded number of them in memory at a time,
 * whatever the table's size. Must be closed.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link CdiException} when the source fails mid-stream.
 * Not thread-safe: one consumer, which also closes the stream; only {@link #cancel()} may be called from another
 * thread.
 */
public interface RowStream extends Iterator<SourceRow>, AutoCloseable {

    /**
     * Aborts the read in progress. May be called from another thread to abort a blocked read: a {@link #hasNext()}
     * or {@link #next()} that is waiting for the source then returns or throws soon (a {@link CdiException} is
     * expected), and so do later calls. The consumer still closes the stream. May be called any number of times,
     * also before the first read or after {@link #close()}; it must not block for long nor throw.
     *
     * <p>Does nothing by default, so a blocked read of a stream that does not override it ends only when the
     * source answers. A JDBC connector cancels the running statement.
     */
    default void cancel() {
    }

    /** Releases the result set and returns the connection. Never throws a checked exception. */
    @Override
    void close();
}
