package dev.cdi.spring.boot;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunStatus;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.service.CdiService;
import dev.cdi.core.service.IntegrationOverview;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * CDI's health, as the actuator's {@code cdi} component: DOWN when an integration's last run ended
 * {@link RunStatus#ERROR} or {@link RunStatus#CONFIG_ERROR}, UP otherwise. The details give each integration's
 * status and last run, with the error's code and message when it failed. Reads the run history on each call, so the
 * PostgreSQL state store is asked once per integration. Thread-safe.
 */
public final class CdiHealthIndicator extends AbstractHealthIndicator {
    private final CdiService service;

    /**
     * Reports on a service.
     *
     * @param service the service
     */
    public CdiHealthIndicator(CdiService service) {
        super("CDI health check failed");
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean failing = false;
        for (IntegrationOverview integration : service.api().listIntegrations()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", integration.status().name());
            if (integration.lastRun().isPresent()) {
                RunSummary run = integration.lastRun().get();
                details.put("lastRun", run.status().name());
                details.put("lastRunId", run.runId());
                details.put("lastRunStartedAt", run.startedAt().toString());
                run.error().ifPresent(error -> {
                    details.put("errorCode", error.code().name());
                    details.put("errorMessage", error.message());
                });
                failing |= run.status() == RunStatus.ERROR || run.status() == RunStatus.CONFIG_ERROR;
            }
            builder.withDetail(integration.name(), details);
        }
        if (failing) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
