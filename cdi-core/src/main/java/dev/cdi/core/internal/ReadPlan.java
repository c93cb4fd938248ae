package dev.cdi.core.internal;

import dev.cdi.api.RowFilter;
import dev.cdi.api.Watermark;
import dev.cdi.core.state.Fingerprint;
import dev.cdi.core.state.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which rows a run reads and which of them it skips as delivered before (SPEC section 4, steps 2 and 3).
 *
 * @param filter the rows to read, or empty when the range is empty
 * @param watermark the stored watermark's value, if any
 * @param delivered fingerprints of rows delivered at or below the watermark
 * @param skipWholeWatermarkGroup the count rule found the group at the watermark unchanged: skip all of it
 * @param skippableRows an upper bound of the rows the filter selects that will be skipped
 */
record ReadPlan(Optional<RowFilter> filter, Optional<Instant> watermark, Set<Fingerprint> delivered,
        boolean skipWholeWatermarkGroup, long skippableRows) {

    static ReadPlan of(Optional<SyncState> state, Duration lookback, Instant upperBound, LongSupplier countAtWatermark) {
        if (state.isEmpty()) {
            // Bounded below too: rows under the range CDI handles are reported apart, never read as rows to sync.
            return new ReadPlan(Optional.of(RowFilter.between(Optional.of(Watermark.MIN_UPDATED_AT), upperBound)),
                    Optional.empty(), Set.of(), false, 0);
        }
        Instant watermark = state.get().watermark().updatedAt();
        Instant windowStart = watermark.minus(lookback);
        Instant lower = windowStart.isBefore(Watermark.MIN_UPDATED_AT) ? Watermark.MIN_UPDATED_AT : windowStart;
        if (lower.isAfter(upperBound)) {
            return new ReadPlan(Optional.empty(), Optional.of(watermark), Set.of(), false, 0);
        }
        if (state.get().fingerprintsComplete()) {
            Set<Fingerprint> delivered = state.get().fingerprints();
            return new ReadPlan(Optional.of(RowFilter.between(Optional.of(lower), upperBound)), Optional.of(watermark),
                    delivered, false, delivered.size());
        }
        // Fallback, the reference product's count rule: an unchanged count at W means the group was fully sent.
        long storedCount = state.get().watermark().rowsAtUpdatedAt();
        boolean unchanged = countAtWatermark.getAsLong() == storedCount;
        if (lookback.isZero()) {
            RowFilter filter = unchanged ? RowFilter.after(watermark, upperBound)
                    : RowFilter.between(Optional.of(watermark), upperBound);
            return new ReadPlan(Optional.of(filter), Optional.of(watermark), Set.of(), false, 0);
        }
        return new ReadPlan(Optional.of(RowFilter.between(Optional.of(lower), upperBound)), Optional.of(watermark),
                Set.of(), unchanged, unchanged ? storedCount : 0);
    }

    /** Whether a row with this {@code UPDATED_AT} may have been delivered by an earlier run. */
    boolean mayHaveDelivered(Instant updatedAt) {
        return watermark.isPresent() && !updatedAt.isAfter(watermark.get());
    }

    boolean skips(Instant updatedAt, Fingerprint fingerprint) {
        if (!mayHaveDelivered(updatedAt)) {
            return false;
        }
        return (skipWholeWatermarkGroup && updatedAt.equals(watermark.get())) || delivered.contains(fingerprint);
    }
}
