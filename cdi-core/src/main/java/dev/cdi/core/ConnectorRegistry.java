package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnectorProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The connectors an engine can use, by name: those found on the class path with {@link ServiceLoader} and
 * those registered explicitly.
 *
 * <p>Immutable and thread-safe; {@link #with} returns a new registry.
 */
public final class ConnectorRegistry {
    private final Map<String, List<SourceConnectorProvider>> providersByName;

    private ConnectorRegistry(Map<String, List<SourceConnectorProvider>> providersByName) {
        this.providersByName = providersByName;
    }

    /**
     * A registry of every provider listed in {@code META-INF/services/dev.cdi.api.SourceConnectorProvider} on the
     * class path of this class's class loader.
     *
     * @return the registry
     */
    public static ConnectorRegistry discover() {
        return discover(ConnectorRegistry.class.getClassLoader());
    }

    /**
     * A registry of every provider the given class loader finds.
     *
     * @param classLoader where to look
     * @return the registry
     */
    public static ConnectorRegistry discover(ClassLoader classLoader) {
        List<SourceConnectorProvider> found = new ArrayList<>();
        ServiceLoader.load(SourceConnectorProvider.class, classLoader).forEach(found::add);
        return of(found);
    }

    /**
     * A registry of exactly these providers, with no discovery.
     *
     * @param providers the providers
     * @return the registry
     */
    public static ConnectorRegistry of(Collection<? extends SourceConnectorProvider> providers) {
        Map<String, List<SourceConnectorProvider>> byName = new TreeMap<>();
        for (SourceConnectorProvider provider : providers) {
            byName.computeIfAbsent(provider.name(), name -> new ArrayList<>()).add(provider);
        }
        byName.replaceAll((name, list) -> List.copyOf(list));
        return new ConnectorRegistry(Map.copyOf(byName));
    }

    /**
     * A registry with one more provider; it replaces any provider of the same name.
     *
     * @param provider the provider
     * @return a new registry
     */
    public ConnectorRegistry with(SourceConnectorProvider provider) {
        requireNonNull(provider, "provider is null");
        Map<String, List<SourceConnectorProvider>> byName = new TreeMap<>(providersByName);
        byName.put(provider.name(), List.of(provider));
        return new ConnectorRegistry(Map.copyOf(byName));
    }

    /**
     * The provider registered under a name.
     *
     * @param name the connector's name
     * @return the provider
     * @throws CdiException with {@link ErrorCode#UNKNOWN_CONNECTOR} when none or several match, listing the names
     *         known
     */
    public SourceConnectorProvider provider(String name) {
        List<SourceConnectorProvider> matches = providersByName.getOrDefault(name, List.of());
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new CdiException(ErrorCode.UNKNOWN_CONNECTOR, "No connector named '" + name + "'; known connectors: "
                    + (providersByName.isEmpty() ? "none (is a connector module on the class path?)"
                            : String.join(", ", names())));
        }
        List<String> classes = new ArrayList<>();
        matches.forEach(provider -> classes.add(provider.getClass().getName()));
        throw new CdiException(ErrorCode.UNKNOWN_CONNECTOR,
                "Several connectors are named '" + name + "': " + classes + "; register one explicitly");
    }

    /**
     * The names of every registered connector, sorted.
     *
     * @return the names
     */
    public SortedSet<String> names() {
        return new TreeSet<>(providersByName.keySet());
    }
}
