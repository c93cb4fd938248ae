package dev.cdi.fabric;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.jdbc.JdbcSourceConnector;
import java.util.List;
import java.util.Set;

/**
 * The {@code fabric} connector: reads a table or view of a Microsoft Fabric warehouse or SQL analytics endpoint
 * through Microsoft's SQL Server JDBC driver, logged in as a Microsoft Entra service principal: {@code azure-identity}'s
 * {@code ClientSecretCredential} gets a token with the client-credentials flow, which the driver's access-token
 * callback hands over at login (cached, refreshed before it expires).
 *
 * <p>Settings are declared by {@link #settings()}: {@code host} (the SQL connection string's host), {@code port},
 * {@code warehouse} (the database), {@code tenantId}, {@code clientId} and {@code clientSecret} (secret), and
 * {@code encrypt}, {@code authorityHost}, {@code trustedCertificate}, {@code connectTimeout}, {@code queryTimeout}.
 * TLS is always on with the server's certificate checked. The table is named {@code schema.table} (or
 * {@code warehouse.schema.table}).
 *
 * <p>{@code UPDATED_AT} may be {@code datetime2(n)} (UTC) or {@code datetimeoffset(n)}, {@code PAYLOAD}
 * {@code varchar}/{@code nvarchar}, {@code DELETED} {@code bit}; see {@link FabricDialect}. Each run's queries carry a
 * query label naming the integration and the run.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class FabricConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "fabric";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public FabricConnectorProvider() {
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
     * What this connector supports: JSON text payloads and privileges the warehouse enforces.
     *
     * @return the capabilities
     */
    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.JSON_PAYLOAD, ConnectorCapability.PRIVILEGES);
    }

    /**
     * A one-line summary.
     *
     * @return what the connector reads
     */
    @Override
    public String description() {
        return "reads a table or view of a Microsoft Fabric warehouse or SQL analytics endpoint, as a Microsoft Entra"
                + " service principal";
    }

    /**
     * The declared settings; the client secret is secret.
     *
     * @return the settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return FabricSettings.SETTINGS;
    }

    /**
     * Checks every setting without connecting.
     *
     * @param settings the settings to check
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public void validate(ConnectorSettings settings) {
        FabricSettings.parse(settings);
    }

    /**
     * Opens a connector. Settings are checked first; nothing is connected and no token requested until the first
     * call.
     *
     * @param settings the connection settings
     * @return the connector, which the caller closes
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public SourceConnector open(ConnectorSettings settings) {
        FabricSettings parsed = FabricSettings.parse(settings);
        FabricTokens tokens;
        try {
            tokens = FabricTokens.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '"
                    + FabricSettings.TRUSTED_CERTIFICATE + "': " + e.getMessage(), e);
        }
        return new JdbcSourceConnector(new FabricDialect(parsed), new FabricConnections(parsed, tokens));
    }
}
