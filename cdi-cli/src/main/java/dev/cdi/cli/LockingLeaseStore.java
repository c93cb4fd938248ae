package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.lease.Lease;
import dev.cdi.core.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Leases that also hold the integration's {@link IntegrationLocks file lock}, so that the runs of {@code cdi run}
 * and {@code cdi sync-now} exclude those of other {@code cdi} processes, not only each other.
 *
 * <p>Thread-safe.
 */
final class LockingLeaseStore implements LeaseStore {
    private final LeaseStore leases;
    private final IntegrationLocks locks;
    private final Map<Lease, IntegrationLocks.Held> held = new HashMap<>();

    LockingLeaseStore(LeaseStore leases, IntegrationLocks locks) {
        this.leases = requireNonNull(leases, "leases is null");
        this.locks = requireNonNull(locks, "locks is null");
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String integration, String holder, Duration ttl) {
        Optional<IntegrationLocks.Held> lock = locks.tryLock(integration);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        Optional<Lease> lease = leases.tryAcquire(integration, holder, ttl);
        if (lease.isEmpty()) {
            lock.get().close();
            return Optional.empty();
        }
        held.put(key(lease.get()), lock.get());
        return lease;
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        return leases.renew(lease, ttl);
    }

    @Override
    public synchronized void release(Lease lease) {
        leases.release(lease);
        IntegrationLocks.Held lock = held.remove(key(lease));
        if (lock != null) {
            lock.close();
        }
    }

    /** Leases are renewed with later expiries; the lock belongs to the acquisition. */
    private static Lease key(Lease lease) {
        return new Lease(lease.integration(), lease.holder(), lease.token(), Instant.EPOCH);
    }
}
