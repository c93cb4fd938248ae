package dev.cdi.spring.boot;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.service.CdiService;
import dev.cdi.core.service.IntegrationOverview;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code cdi} to the actuator's info: the connectors installed, and each integration's status, last run, next
 * run and the last {@code UPDATED_AT} synced. Thread-safe.
 */
public final class CdiInfoContributor implements InfoContributor {
    private final CdiService service;

    /**
     * Reports on a service.
     *
     * @param service the service
     */
    public CdiInfoContributor(CdiService service) {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> integrations = new LinkedHashMap<>();
        for (IntegrationOverview integration : service.api().listIntegrations()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", integration.status().name());
            integration.lastRun().ifPresent(run -> {
                details.put("lastRun", run.status().name());
                details.put("lastRunStartedAt", run.startedAt().toString());
                details.put("lastRunRowsSynced", run.rowsSynced());
            });
            integration.nextRun().ifPresent(next -> details.put("nextRun", next.toString()));
            integration.lastUpdatedAtSynced().ifPresent(last -> details.put("lastUpdatedAtSynced", last.toString()));
            integrations.put(integration.name(), details);
        }
        Map<String, Object> cdi = new LinkedHashMap<>();
        cdi.put("connectors", service.engine().connectors().names());
        cdi.put("integrations", integrations);
        builder.withDetail("cdi", cdi);
    }
}
