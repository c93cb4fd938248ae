package dev.cdi.api;

import java.util.Iterator;

/**
 * Rows streamed from the source: the connector holds at most a bounded number of them in memory at a time,
 * whatever the table's size. Must be closed.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link CdiException} when the source fails mid-stream.
 * Not thread-safe: one consumer.
 */
public interface RowStream extends Iterator<SourceRow>, AutoCloseable {

    /** Releases the result set and returns the connection. Never throws a checked exception. */
    @Override
    void close();
}
