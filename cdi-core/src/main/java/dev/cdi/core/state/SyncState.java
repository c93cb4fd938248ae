package dev.cdi.core.state;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Watermark;
import java.util.Set;

/**
 * What an integration remembers between runs: its watermark and the fingerprints of the rows delivered in the
 * look-back window below it.
 *
 * <p>When the window held more rows than the fingerprint limit, {@code fingerprintsComplete} is false and the
 * next run falls back to counting the rows at the watermark. Immutable and thread-safe.
 *
 * @param watermark the greatest fully synced {@code UPDATED_AT} and its row count
 * @param fingerprints the fingerprints of the rows delivered in {@code [watermark - lookback, watermark]}
 * @param fingerprintsComplete whether {@code fingerprints} holds every such row
 */
public record SyncState(Watermark watermark, Set<Fingerprint> fingerprints, boolean fingerprintsComplete) {

    /** Validates and copies. */
    public SyncState {
        requireNonNull(watermark, "watermark is null");
        fingerprints = Set.copyOf(requireNonNull(fingerprints, "fingerprints is null"));
    }
}
