package dev.cdi.api;

import java.util.List;
import java.util.Set;

/**
 * Creates connectors of one kind. A connector module registers its provider in
 * {@code META-INF/services/dev.cdi.api.SourceConnectorProvider} so that it is found by {@link #name()}; a provider
 * instance can also be registered explicitly with the engine.
 *
 * <p>Implementations must be thread-safe and cheap to construct (a public no-argument constructor).
 */
public interface SourceConnectorProvider {

    /**
     * The connector's name in configuration, matching {@code [a-z][a-z0-9_]*}, such as {@code duckdb}.
     *
     * @return the name
     */
    String name();

    /**
     * The optional behaviours this connector supports.
     *
     * @return the capabilities, empty by default
     */
    default Set<ConnectorCapability> capabilities() {
        return Set.of();
    }

    /**
     * The one-line summary of this connector that {@code cdi connectors} lists, such as "reads a DuckDB database
     * file".
     *
     * @return the summary, empty by default
     */
    @Experimental
    default String description() {
        return "";
    }

    /**
     * The settings this connector takes, in the order documentation lists them. When any are declared, the default
     * {@link #validate} checks settings against them with {@link SettingsSchema}, {@link #secretSettingKeys()} is
     * derived from them, and a command line resolves the relative paths of {@link SettingType#PATH} settings and
     * renders them as a table.
     *
     * @return the declared settings; empty by default, meaning undeclared: any settings are accepted
     */
    @Experimental
    default List<SettingDefinition> settings() {
        return List.of();
    }

    /**
     * The keys of {@link ConnectorSettings} whose values are secret, so that they are masked wherever settings
     * are shown.
     *
     * @return the secret keys; by default those of the {@link #settings()} declared secret, so empty when none are
     *         declared
     */
    default Set<String> secretSettingKeys() {
        return new SettingsSchema(name(), settings()).secretKeys();
    }

    /**
     * Checks settings without connecting to anything, so that a configuration can be refused before any run
     * starts (a command line exits with its configuration-error code). {@link #open} checks them again.
     *
     * @param settings the connection settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting that is missing, unknown
     *         or invalid; by default when the settings do not fit the declared {@link #settings()}, and never when
     *         none are declared
     */
    default void validate(ConnectorSettings settings) {
        List<SettingDefinition> declared = settings();
        if (!declared.isEmpty()) {
            new SettingsSchema(name(), declared).validate(settings);
        }
    }

    /**
     * Opens a connector. Settings are checked before any connection is made, so a bad configuration fails
     * fast with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting.
     *
     * @param settings the connection settings
     * @return an open connector, which the caller closes
     */
    SourceConnector open(ConnectorSettings settings);
}
