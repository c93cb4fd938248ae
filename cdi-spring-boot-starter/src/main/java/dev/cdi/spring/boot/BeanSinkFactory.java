package dev.cdi.spring.boot;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowSink;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.scheduler.SinkFactory;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Gives each integration the {@link RowSink} bean named by its {@code sink} property, or by its name; when the
 * application has exactly one sink bean, every integration without a bean of its own uses it. Thread-safe.
 */
final class BeanSinkFactory implements SinkFactory {
    private final ListableBeanFactory beans;
    private final Map<String, CdiProperties.Integration> integrations;

    BeanSinkFactory(ListableBeanFactory beans, Map<String, CdiProperties.Integration> integrations) {
        this.beans = requireNonNull(beans, "beans is null");
        this.integrations = Map.copyOf(requireNonNull(integrations, "integrations is null"));
    }

    @Override
    public RowSink sinkFor(ScheduledIntegration integration) {
        return sinkFor(integration.name());
    }

    /** The sink of an integration, checked at start-up too so that a missing bean fails fast. */
    RowSink sinkFor(String integration) {
        CdiProperties.Integration configured = integrations.get(integration);
        String beanName = configured != null && configured.getSink() != null ? configured.getSink() : integration;
        // Looked up per run rather than once: a sink bean may be created lazily, after CDI started.
        Map<String, RowSink> sinks = beans.getBeansOfType(RowSink.class);
        RowSink sink = sinks.get(beanName);
        if (sink != null) {
            return sink;
        }
        if (sinks.size() == 1 && (configured == null || configured.getSink() == null)) {
            return sinks.values().iterator().next();
        }
        throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "[" + integration + "] No RowSink bean named '"
                + beanName + "'; the application's RowSink beans are " + new TreeSet<>(sinks.keySet())
                + ". Name the bean after the integration, or set cdi.integrations." + integration + ".sink");
    }
}
