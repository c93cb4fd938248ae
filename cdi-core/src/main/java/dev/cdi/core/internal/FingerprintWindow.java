package dev.cdi.core.internal;

import dev.cdi.core.state.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The fingerprints of the rows seen in the look-back window below the newest group, in {@code UPDATED_AT} order,
 * holding at most {@code limit} of them.
 *
 * <p>When a row would exceed the limit, the window forgets everything and remembers the group that overflowed:
 * every window that contains that group is incomplete, and older entries can only appear in such windows. Once
 * the overflowed group falls out of the look-back window, the window is complete again.
 *
 * <p>Not thread-safe: one instance per run.
 */
final class FingerprintWindow {
    private record Entry(Instant updatedAt, Fingerprint fingerprint) {
    }

    private final int limit;
    private final Duration lookback;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private Instant overflowedAt;

    FingerprintWindow(int limit, Duration lookback) {
        this.limit = limit;
        this.lookback = lookback;
    }

    void add(Instant updatedAt, Fingerprint fingerprint) {
        if (updatedAt.equals(overflowedAt)) {
            return;
        }
        if (entries.size() >= limit) {
            entries.clear();
            overflowedAt = updatedAt;
            return;
        }
        entries.addLast(new Entry(updatedAt, fingerprint));
    }

    /** Forgets what lies below the window of a group that starts at {@code newest}. */
    void slideTo(Instant newest) {
        Instant windowStart = newest.minus(lookback);
        while (!entries.isEmpty() && entries.peekFirst().updatedAt().isBefore(windowStart)) {
            entries.removeFirst();
        }
        if (overflowedAt != null && overflowedAt.isBefore(windowStart)) {
            overflowedAt = null;
        }
    }

    /** Whether the window below a watermark holds every row seen in it. */
    boolean isComplete(Instant watermark) {
        return overflowedAt == null || overflowedAt.isBefore(watermark.minus(lookback));
    }

    Set<Fingerprint> fingerprints() {
        Set<Fingerprint> set = new HashSet<>(entries.size() * 2);
        for (Entry entry : entries) {
            set.add(entry.fingerprint());
        }
        return set;
    }
}
