package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The faults a {@link FakeWarehouse} injects into the connectors it hands out: a connection that breaks after N
 * rows, a query that fails or is slow, a permission that is denied. Tables are dropped for real with
 * {@link FakeWarehouse#dropTable}.
 *
 * <p>Thread-safe. Faults stay until {@link #clear()}, except {@link #failNextQuery} which fires once.
 */
public final class Faults {
    private OptionalLong failAfterRows = OptionalLong.empty();
    private Optional<ErrorCode> failNextQuery = Optional.empty();
    private Duration queryDelay = Duration.ZERO;
    private boolean permissionDenied;

    Faults() {
    }

    /**
     * Every read breaks with {@link ErrorCode#CONNECTION_FAILED} after delivering this many rows.
     *
     * @param rows rows delivered before the break
     * @return these faults
     */
    public synchronized Faults failConnectionAfterRows(long rows) {
        this.failAfterRows = OptionalLong.of(rows);
        return this;
    }

    /**
     * The next query (describe, count or read) fails with this code.
     *
     * @param code the error code, such as {@link ErrorCode#QUERY_TIMEOUT}
     * @return these faults
     */
    public synchronized Faults failNextQuery(ErrorCode code) {
        this.failNextQuery = Optional.of(requireNonNull(code, "code is null"));
        return this;
    }

    /**
     * Every query waits this long before it runs.
     *
     * @param delay the delay
     * @return these faults
     */
    public synchronized Faults delayQueries(Duration delay) {
        this.queryDelay = requireNonNull(delay, "delay is null");
        return this;
    }

    /**
     * Every query fails with {@link ErrorCode#PERMISSION_DENIED}, as when the warehouse user lost its grant.
     *
     * @return these faults
     */
    public synchronized Faults denyPermission() {
        this.permissionDenied = true;
        return this;
    }

    /**
     * Removes every fault.
     *
     * @return these faults
     */
    public synchronized Faults clear() {
        failAfterRows = OptionalLong.empty();
        failNextQuery = Optional.empty();
        queryDelay = Duration.ZERO;
        permissionDenied = false;
        return this;
    }

    synchronized OptionalLong failAfterRows() {
        return failAfterRows;
    }

    /** Applies the query faults; called before every query. */
    void beforeQuery(String what) {
        Duration delay;
        synchronized (this) {
            if (permissionDenied) {
                throw new CdiException(ErrorCode.PERMISSION_DENIED,
                        "Permission denied (injected by the fake warehouse) for " + what);
            }
            if (failNextQuery.isPresent()) {
                ErrorCode code = failNextQuery.get();
                failNextQuery = Optional.empty();
                throw new CdiException(code, "Query failed (injected by the fake warehouse): " + what);
            }
            delay = queryDelay;
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CdiException(ErrorCode.QUERY_TIMEOUT, "Interrupted during an injected delay", e);
            }
        }
    }
}
