package dev.cdi.api;

/**
 * What kind of sync-level error stopped a run, and so what the user must do about it.
 *
 * <p>Thread-safe (an enum).
 */
public enum ErrorCategory {
    /** The warehouse could not be reached: network, DNS, TLS, a timeout. Often transient. */
    CONNECTIVITY,
    /** The warehouse refused the credentials. */
    AUTHENTICATION,
    /** The user has no privilege on the database, schema or table. */
    PERMISSIONS,
    /** The table or view does not exist (or is not visible to the user). */
    TABLE_NOT_FOUND,
    /** A required column is missing or of a wrong type, or a delete table has a {@code PAYLOAD} column. */
    SCHEMA,
    /** Out of a resource: the warehouse's quota, a stopped warehouse, this process's memory. */
    RESOURCES,
    /** The integration's own configuration is wrong. */
    CONFIG,
    /**
     * The sink failed: it kept failing after every retry, or it broke the {@link RowSink} contract (for example
     * it answered a wrong number of outcomes), which retrying cannot fix.
     */
    SINK,
    /**
     * CDI's own state (watermarks, leases, run history, the registry) cannot be read or written, or holds something
     * unreadable: a database down, a disk full, a file damaged or replaced by something else.
     */
    STATE,
    /** A defect in CDI itself: the message asks for a report. */
    INTERNAL
}
