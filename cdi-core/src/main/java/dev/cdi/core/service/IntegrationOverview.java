package dev.cdi.core.service;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.history.RunSummary;
import dev.cdi.core.registry.IntegrationStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * One integration as a list of integrations shows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the integration's name
 * @param status draft, active or paused
 * @param lastRun its most recent run, if any
 * @param nextRun when it runs next, for an active integration
 * @param lastUpdatedAtSynced the greatest {@code UPDATED_AT} synced so far (its watermark), if any
 */
public record IntegrationOverview(String name, IntegrationStatus status, Optional<RunSummary> lastRun,
        Optional<Instant> nextRun, Optional<Instant> lastUpdatedAtSynced) {

    /** Validates every part. */
    public IntegrationOverview {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(lastRun, "lastRun is null");
        requireNonNull(nextRun, "nextRun is null");
        requireNonNull(lastUpdatedAtSynced, "lastUpdatedAtSynced is null");
    }
}
