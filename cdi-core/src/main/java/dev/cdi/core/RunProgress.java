package dev.cdi.core;

import dev.cdi.api.Experimental;

/**
 * Follows one run as it reads, for a progress display such as the command line's: first how many rows the run
 * expects to read, counted before it reads any, then how many it has read so far. The expected count is an estimate:
 * rows that change while the run reads can make the run read more or fewer.
 *
 * <p>One instance follows one run, called only from that run's thread; methods must return quickly and must not
 * throw (an exception fails the run as an internal error). The methods do nothing by default.
 */
@Experimental
public interface RunProgress {
    /** Follows nothing. */
    RunProgress NONE = new RunProgress() {
    };

    /**
     * The rows the run expects to read, once counted; called at most once per run, before any row is read, and not
     * at all when the run fails before counting.
     *
     * @param rowsToRead the rows above the watermark not delivered before, and those the run reports as failed
     *     without reading them all (a NULL or out-of-range {@code UPDATED_AT})
     */
    default void counted(long rowsToRead) {
    }

    /**
     * The rows read so far; called every few hundred rows while the run reads, and once when it has read all.
     *
     * @param rowsRead the rows read so far, as the run's result counts them
     */
    default void read(long rowsRead) {
    }
}
