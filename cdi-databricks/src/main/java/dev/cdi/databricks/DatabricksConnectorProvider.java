package dev.cdi.databricks;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.jdbc.JdbcSourceConnector;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The {@code databricks} connector: reads a table or view of a Databricks SQL warehouse through the Databricks JDBC
 * driver, logged in with a personal access token or as a service principal (OAuth machine-to-machine), waiting for
 * a stopped warehouse to start.
 *
 * <p>Settings are declared by {@link #settings()}: {@code host} and {@code httpPath} (required, from the warehouse's
 * connection details), {@code token} (secret) or {@code clientId} and {@code clientSecret} (secret),
 * {@code catalog} and {@code schema} for shorter table names, {@code warmupTimeout}, {@code queryTimeout}.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMP} or {@code TIMESTAMP_NTZ} (UTC), read to the microsecond;
 * {@code PAYLOAD} may be {@code STRING}, {@code STRUCT} or {@code MAP}. Each run's statements carry query tags
 * naming the integration and the run.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class DatabricksConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "databricks";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public DatabricksConnectorProvider() {
    }

    /**
     * The connector's name.
     *
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * What this connector supports: structured and JSON payloads, privileges the warehouse enforces.
     *
     * @return the capabilities
     */
    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.STRUCTURED_PAYLOAD, ConnectorCapability.JSON_PAYLOAD,
                ConnectorCapability.PRIVILEGES);
    }

    /**
     * A one-line summary.
     *
     * @return what the connector reads
     */
    @Override
    public String description() {
        return "reads a table or view of a Databricks SQL warehouse, with a token or a service principal";
    }

    /**
     * The declared settings; the token and the client secret are secret.
     *
     * @return the settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return DatabricksSettings.SETTINGS;
    }

    /**
     * Checks every setting without connecting.
     *
     * @param settings the settings to check
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public void validate(ConnectorSettings settings) {
        DatabricksSettings.parse(settings);
    }

    /**
     * Opens a connector. Settings are checked first; nothing is connected until the first call.
     *
     * @param settings the connection settings
     * @return the connector, which the caller closes
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public SourceConnector open(ConnectorSettings settings) {
        DatabricksSettings parsed = DatabricksSettings.parse(settings);
        return new JdbcSourceConnector(new DatabricksDialect(parsed),
                new DatabricksConnections(parsed, Clock.systemUTC()));
    }
}
