package dev.cdi.core.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the scheduler finds the integrations that are active (not drafts, not paused). An integrations registry
 * implements it; {@link #of} gives a fixed one.
 *
 * <p>Implementations must be thread-safe; {@link #active()} is called on every scheduler tick.
 */
public interface IntegrationCatalog {

    /**
     * The integrations that should run on their schedules.
     *
     * @return the active integrations
     */
    List<ScheduledIntegration> active();

    /**
     * An active integration by name.
     *
     * @param integration the name
     * @return the integration, or empty when there is no active one of that name
     */
    default Optional<ScheduledIntegration> find(String integration) {
        return active().stream().filter(candidate -> candidate.name().equals(integration)).findFirst();
    }

    /**
     * A catalog of fixed integrations.
     *
     * @param integrations the integrations, with distinct names
     * @return the catalog
     */
    static IntegrationCatalog of(List<ScheduledIntegration> integrations) {
        Map<String, ScheduledIntegration> byName = integrations.stream()
                .collect(Collectors.toMap(ScheduledIntegration::name, Function.identity()));
        List<ScheduledIntegration> fixed = List.copyOf(integrations);
        return new IntegrationCatalog() {
            @Override
            public List<ScheduledIntegration> active() {
                return fixed;
            }

            @Override
            public Optional<ScheduledIntegration> find(String integration) {
                return Optional.ofNullable(byName.get(integration));
            }
        };
    }
}
