package dev.cdi.spring.boot;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.service.CdiService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts CDI with the application context, once the context is ready (so the sink beans are), and stops it with the
 * context: the scheduler stops, runs in progress get their grace period, connectors are closed. At start it first
 * brings the registry in line with the {@code cdi.*} properties. Stopped means closed: a context that is started
 * again after {@link #stop()} does not run CDI again (a {@link CdiService} does not restart). Thread-safe.
 */
public final class CdiLifecycle implements SmartLifecycle {
    /** Late in start-up and early in shut-down, after the application's own beans and before web servers stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final CdiService service;
    private final ConfiguredIntegrations integrations;
    private final BeanSinkFactory sinks;
    private final AtomicBoolean running = new AtomicBoolean();

    CdiLifecycle(CdiService service, ConfiguredIntegrations integrations, BeanSinkFactory sinks) {
        this.service = requireNonNull(service, "service is null");
        this.integrations = requireNonNull(integrations, "integrations is null");
        this.sinks = requireNonNull(sinks, "sinks is null");
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            integrations.apply(service.registry());
            integrations.names().forEach(sinks::sinkFor);
            service.start();
        }
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            service.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
