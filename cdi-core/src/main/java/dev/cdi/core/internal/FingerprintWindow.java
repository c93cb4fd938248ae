package dev.cdi.core.internal;

import dev.cdi.api.Column;
import dev.cdi.api.SourceRow;
import dev.cdi.core.state.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fingerprints of the rows seen in the look-back window below the newest group, in {@code UPDATED_AT} order,
 * holding at most {@code limit} of them.
 *
 * <p>When a row would exceed the limit, the window forgets everything and remembers the group that overflowed:
 * every window that contains that group is incomplete, and older entries can only appear in such windows. Once
 * the overflowed group falls out of the look-back window, the window is complete again.
 *
 * <p>Without a look-back the window is just the newest group, and most rows leave it before any checkpoint needs
 * their fingerprints; so such rows are kept as they are and fingerprinted only when a checkpoint asks, while
 * their text stays under a bound (beyond it they are fingerprinted at once). Hashing every row was a fifth of the
 * pipeline's time.
 *
 * <p>Not thread-safe: one instance per run.
 */
final class FingerprintWindow {
    private static final long MAX_DEFERRED_CHARS = 4L << 20;

    private record Entry(Instant updatedAt, Fingerprint fingerprint) {
    }

    private final int limit;
    private final Duration lookback;
    private final Fingerprinter fingerprinter;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<SourceRow> deferredRows = new ArrayList<>();
    private Instant deferredGroup;
    private long deferredChars;
    private Instant overflowedAt;

    FingerprintWindow(int limit, Duration lookback, Fingerprinter fingerprinter) {
        this.limit = limit;
        this.lookback = lookback;
        this.fingerprinter = fingerprinter;
    }

    /** Adds a row whose fingerprint is known. */
    void add(Instant updatedAt, Fingerprint fingerprint) {
        if (makeRoom(updatedAt)) {
            entries.addLast(new Entry(updatedAt, fingerprint));
        }
    }

    /** Adds a row, fingerprinting it now or when a checkpoint needs it. */
    void add(Instant updatedAt, SourceRow row) {
        if (!makeRoom(updatedAt)) {
            return;
        }
        if (!lookback.isZero()) {
            entries.addLast(new Entry(updatedAt, fingerprinter.of(row)));
            return;
        }
        deferredRows.add(row);
        deferredGroup = updatedAt;
        deferredChars += row.value(Column.PAYLOAD).map(String::length).orElse(0) + 64;
        if (deferredChars > MAX_DEFERRED_CHARS) {
            fingerprintDeferredRows();
        }
    }

    private boolean makeRoom(Instant updatedAt) {
        if (updatedAt.equals(overflowedAt)) {
            return false;
        }
        if (entries.size() + deferredRows.size() >= limit) {
            entries.clear();
            deferredRows.clear();
            deferredChars = 0;
            overflowedAt = updatedAt;
            return false;
        }
        return true;
    }

    private void fingerprintDeferredRows() {
        for (SourceRow row : deferredRows) {
            entries.addLast(new Entry(deferredGroup, fingerprinter.of(row)));
        }
        deferredRows.clear();
        deferredChars = 0;
    }

    /** Forgets what lies below the window of a group that starts at {@code newest}. */
    void slideTo(Instant newest) {
        Instant windowStart = newest.minus(lookback);
        if (deferredGroup != null && deferredGroup.isBefore(windowStart)) {
            deferredRows.clear();
            deferredChars = 0;
        }
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
        fingerprintDeferredRows();
        Set<Fingerprint> set = new HashSet<>(entries.size() * 2);
        for (Entry entry : entries) {
            set.add(entry.fingerprint());
        }
        return set;
    }
}
