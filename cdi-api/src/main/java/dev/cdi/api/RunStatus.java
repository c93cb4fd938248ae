package dev.cdi.api;

/**
 * How a run ended (or that it is still going).
 *
 * <p>Thread-safe (an enum).
 */
public enum RunStatus {
    /** The run is in progress. */
    RUNNING,
    /** Every row read was synced. */
    SUCCESS,
    /** The run completed, and some rows failed with row errors. */
    PARTIAL,
    /** The run could not complete; its error says why. The watermark keeps its last checkpoint. */
    ERROR,
    /** The integration's configuration or the table's schema is wrong; no row was read. */
    CONFIG_ERROR,
    /** The run found more rows than the row limit; no row was read and the watermark did not move. */
    LIMIT_EXCEEDED;

    /**
     * Whether the run completed (rows that were valid reached the sink and the watermark moved to the end).
     *
     * @return true for {@link #SUCCESS} and {@link #PARTIAL}
     */
    public boolean completed() {
        return this == SUCCESS || this == PARTIAL;
    }
}
