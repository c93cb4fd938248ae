package dev.cdi.duckdb;

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
import org.duckdb.DuckDBConnection;

/**
 * The {@code duckdb} connector: reads a table of a DuckDB database file, or of a database the caller already
 * has open (such as the testkit's in-memory fake warehouse).
 *
 * <p>Settings ({@link #settings()}):
 * <ul>
 *   <li>{@code path} (required): the database file; a relative path is taken as given, against the working
 *       directory. The file must exist: the connector never creates one.</li>
 *   <li>{@code readOnly} (optional, {@code true} or {@code false}, default {@code true}): a sync never writes,
 *       so the file is opened read-only. Set it to {@code false} when the same JVM also has the file open
 *       read-write, since DuckDB refuses connections with different settings to one file.</li>
 * </ul>
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMP} (UTC wall-clock time), {@code TIMESTAMPTZ},
 * {@code TIMESTAMP_NS} (nanoseconds kept), {@code TIMESTAMP_MS} or {@code TIMESTAMP_S}; {@code PAYLOAD} may be
 * {@code VARCHAR}, {@code JSON}, {@code STRUCT} or {@code MAP}; {@code DELETED} is {@code BOOLEAN}.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class DuckDbConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "duckdb";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public DuckDbConnectorProvider() {
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
     * What DuckDB supports: structured and JSON payloads, and nanosecond timestamps ({@code TIMESTAMP_NS}).
     *
     * @return the capabilities
     */
    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.STRUCTURED_PAYLOAD, ConnectorCapability.JSON_PAYLOAD,
                ConnectorCapability.NANOSECOND_TIMESTAMPS);
    }

    /**
     * A one-line summary.
     *
     * @return what the connector reads
     */
    @Override
    public String description() {
        return "reads a table of a local DuckDB database file";
    }

    /**
     * The settings: {@code path} (required) and {@code readOnly} (default {@code true}).
     *
     * @return the declared settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return DuckDbConfig.SETTINGS;
    }

    /**
     * Checks {@code path} and {@code readOnly} without touching the file system.
     *
     * @param settings the settings to check
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public void validate(ConnectorSettings settings) {
        DuckDbConfig.fromSettings(settings);
    }

    /**
     * Opens a connector for a database file. The settings are checked and the file must exist; no connection is
     * made until the connector's first call, and each call opens and closes its own connection, so the file is
     * not held between runs.
     *
     * @param settings {@code path} and optionally {@code readOnly}
     * @return the connector, which the caller closes
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting when a setting is
     *         missing, unknown or invalid, or when the file does not exist
     */
    @Override
    public SourceConnector open(ConnectorSettings settings) {
        DuckDbConfig config = DuckDbConfig.fromSettings(settings);
        DuckDbFileConnections.checkFile(config.path());
        return new JdbcSourceConnector(new DuckDbDialect(), new DuckDbFileConnections(config));
    }

    /**
     * A connector over a database the caller already has open, such as an in-memory one. Each operation runs on
     * a {@link DuckDBConnection#duplicate() duplicate} of the connection, so all see the same database; closing
     * the connector does not close the caller's connection, which must stay open while the connector is used.
     *
     * @param connection an open DuckDB connection, owned by the caller
     * @return the connector
     */
    public static SourceConnector forConnection(DuckDBConnection connection) {
        return new JdbcSourceConnector(new DuckDbDialect(), new DuckDbSharedConnections(connection));
    }
}
