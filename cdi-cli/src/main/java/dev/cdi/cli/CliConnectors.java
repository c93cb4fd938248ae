package dev.cdi.cli;

import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.core.ConnectorRegistry;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The connectors the command line offers: every one installed, except the testkit's {@code fake}, which reads the
 * in-memory warehouse of a test and means nothing to a configuration file ({@code cdi fake-warehouse} serves fakes
 * over the network instead). Stateless.
 */
final class CliConnectors {
    private static final String TESTKIT_PACKAGE = "dev.cdi.testkit.";

    private CliConnectors() {
    }

    /**
     * The installed connectors, found with {@link ServiceLoader}.
     *
     * @return the registry
     */
    static ConnectorRegistry discover() {
        List<SourceConnectorProvider> providers = ServiceLoader.load(SourceConnectorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> !provider.getClass().getName().startsWith(TESTKIT_PACKAGE))
                .toList();
        return ConnectorRegistry.of(providers);
    }
}
