package dev.cdi.core.lease;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LeaseStore} in memory: excludes concurrent runs within one process only. Expiry follows the clock
 * given to the constructor.
 *
 * <p>Thread-safe; every method takes one lock for a few map operations.
 */
public final class InMemoryLeaseStore implements LeaseStore {
    private final Clock clock;
    private final Map<String, Lease> leases = new HashMap<>();
    /** Tokens survive a release, so they keep growing per integration. */
    private final Map<String, Long> lastTokens = new HashMap<>();

    /** Creates a store whose leases expire by the system clock. */
    public InMemoryLeaseStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates a store whose leases expire by the given clock.
     *
     * @param clock the clock that decides expiry
     */
    public InMemoryLeaseStore(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String integration, String holder, Duration ttl) {
        requireNonNull(integration, "integration is null");
        requireNonNull(holder, "holder is null");
        requirePositive(ttl);
        Instant now = clock.instant();
        Lease current = leases.get(integration);
        if (current != null && current.expiresAt().isAfter(now) && !current.holder().equals(holder)) {
            return Optional.empty();
        }
        long token = lastTokens.getOrDefault(integration, 0L) + 1;
        Lease lease = new Lease(integration, holder, token, now.plus(ttl));
        leases.put(integration, lease);
        lastTokens.put(integration, token);
        return Optional.of(lease);
    }

    @Override
    public synchronized boolean renew(Lease lease, Duration ttl) {
        requireNonNull(lease, "lease is null");
        requirePositive(ttl);
        if (!isCurrent(lease)) {
            return false;
        }
        leases.put(lease.integration(), new Lease(lease.integration(), lease.holder(), lease.token(),
                clock.instant().plus(ttl)));
        return true;
    }

    @Override
    public synchronized void release(Lease lease) {
        requireNonNull(lease, "lease is null");
        if (isCurrent(lease)) {
            leases.remove(lease.integration());
        }
    }

    private boolean isCurrent(Lease lease) {
        Lease current = leases.get(lease.integration());
        return current != null && current.token() == lease.token() && current.holder().equals(lease.holder());
    }

    private static void requirePositive(Duration ttl) {
        requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
    }
}
