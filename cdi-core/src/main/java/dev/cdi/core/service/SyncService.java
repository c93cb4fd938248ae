package dev.cdi.core.service;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.registry.IntegrationRegistry;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.RegisteredIntegration;
import dev.cdi.core.registry.Workspace;
import dev.cdi.core.scheduler.Scheduler;
import dev.cdi.core.scheduler.TriggerResult;
import dev.cdi.core.state.StateStore;
import dev.cdi.core.state.SyncState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reference product's REST API as a Java API: list integrations (with status, last run, next scheduled run and
 * last {@code UPDATED_AT} synced), trigger a sync, and list a sync's runs.
 *
 * <p>Thread-safe, as its parts are.
 */
public final class SyncService {
    private final IntegrationRegistry registry;
    private final Scheduler scheduler;
    private final RunHistory history;
    private final StateStore state;
    private final Clock clock;

    /**
     * Creates the service over the parts a service embeds.
     *
     * @param registry the integrations
     * @param scheduler runs them (the one whose catalog is {@code registry})
     * @param history their runs
     * @param state their watermarks
     * @param clock the clock next runs are computed against
     */
    public SyncService(IntegrationRegistry registry, Scheduler scheduler, RunHistory history, StateStore state,
            Clock clock) {
        this.registry = requireNonNull(registry, "registry is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.history = requireNonNull(history, "history is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Every integration, sorted by name.
     *
     * @return one overview per integration
     */
    public List<IntegrationOverview> listIntegrations() {
        List<IntegrationOverview> overviews = new ArrayList<>();
        Instant now = clock.instant();
        for (RegisteredIntegration integration : registry.list()) {
            String name = integration.name();
            Optional<Instant> next = Optional.empty();
            if (integration.status() == IntegrationStatus.ACTIVE) {
                // The scheduler's plan once it has seen the integration; the schedule's next time before that.
                next = Optional.ofNullable(scheduler.nextRuns().get(name)).or(() -> registry
                        .workspace(integration.definition().workspace()).map(Workspace::zone)
                        .map(zone -> integration.definition().schedule().nextRunAfter(now, zone)));
            }
            overviews.add(new IntegrationOverview(name, integration.status(), history.runs(name, 1).stream().findFirst(),
                    next, state.load(name).map(SyncState::watermark).map(watermark -> watermark.updatedAt())));
        }
        return overviews;
    }

    /**
     * Starts a sync of an integration now, without moving its schedule.
     *
     * @param integration the integration's name
     * @return {@link TriggerResult#ACCEPTED}, {@link TriggerResult#ANOTHER_RUN_IN_PROGRESS}, or
     *         {@link TriggerResult#NOT_FOUND} when there is no active integration of that name (drafts and paused
     *         integrations do not run)
     */
    public TriggerResult triggerSync(String integration) {
        return scheduler.syncNow(requireNonNull(integration, "integration is null"));
    }

    /**
     * An integration's runs, newest first: status, start, finish, last timestamp synced, rows synced and failed.
     *
     * @param integration the integration's name
     * @param limit the most runs to list
     * @return the runs
     */
    public List<RunSummary> listRuns(String integration, int limit) {
        return history.runs(requireNonNull(integration, "integration is null"), limit);
    }
}
