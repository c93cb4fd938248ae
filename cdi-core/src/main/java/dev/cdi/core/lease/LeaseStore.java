package dev.cdi.core.lease;

import java.time.Duration;
import java.util.Optional;

/**
 * Grants at most one unexpired {@link Lease} per integration, so that one integration never runs twice at once.
 *
 * <p>A holder that dies without releasing its lease blocks the integration only until the lease expires. A
 * long run renews its lease well before it expires (for example every third of the time to live). Holder names
 * must be unique per run: the same holder may take its own lease again, which is what makes a retry after a
 * lost answer safe, so two runs sharing a holder name would not exclude each other.
 *
 * <p>Implementations are thread-safe; every method may be called any number of times from any thread.
 * Failures of the underlying storage throw {@link dev.cdi.api.CdiException} with
 * {@link dev.cdi.api.ErrorCode#STATE_STORE_FAILED}.
 */
public interface LeaseStore {

    /**
     * Takes an integration's lease when it is free, expired, or already held by the same holder.
     *
     * @param integration the integration's name, not blank
     * @param holder who asks, not blank
     * @param ttl how long the lease lasts, positive
     * @return the new lease (with a larger token than any before it), or empty when another holder has an
     *         unexpired lease: another run is in progress
     */
    Optional<Lease> tryAcquire(String integration, String holder, Duration ttl);

    /**
     * Extends a lease to {@code ttl} from now.
     *
     * @param lease the lease, as {@link #tryAcquire} returned it
     * @param ttl the new time to live from now, positive
     * @return true when extended; false when another holder has taken the lease since (or it was released),
     *         in which case the caller must stop its run
     */
    boolean renew(Lease lease, Duration ttl);

    /**
     * Gives a lease up, so that another holder may take it at once. Does nothing when the lease has been
     * taken by another holder or released already.
     *
     * @param lease the lease, as {@link #tryAcquire} returned it
     */
    void release(Lease lease);
}
