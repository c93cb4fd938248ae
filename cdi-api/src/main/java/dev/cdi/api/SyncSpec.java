package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Everything one integration's sync needs: its name, which connector reads which table with which settings,
 * the data type, and the options. Build with {@link #builder()}; a spec that exists is valid.
 *
 * <p>Immutable and thread-safe; {@link #toString()} masks secret settings.
 *
 * @param integration the integration's name, matching {@code [a-z][a-z0-9_-]*}; it keys the stored state
 * @param connector the connector's name, such as {@code duckdb}
 * @param connectorSettings the connection settings
 * @param table the source table or view
 * @param dataType what the rows hold
 * @param options the tunable options
 */
public record SyncSpec(
        String integration,
        String connector,
        ConnectorSettings connectorSettings,
        TableName table,
        DataType dataType,
        SyncOptions options) {

    private static final Pattern INTEGRATION_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,127}");
    private static final Pattern CONNECTOR_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** Validates every part. */
    public SyncSpec {
        requireNonNull(integration, "integration is null");
        requireNonNull(connector, "connector is null");
        requireNonNull(connectorSettings, "connectorSettings is null");
        requireNonNull(table, "table is null");
        requireNonNull(dataType, "dataType is null");
        requireNonNull(options, "options is null");
        if (!INTEGRATION_NAME.matcher(integration).matches()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Integration name '" + integration
                    + "' must match [a-z][a-z0-9_-]* (at most 128 characters)");
        }
        if (!CONNECTOR_NAME.matcher(connector).matches()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Connector name '" + connector + "' must match [a-z][a-z0-9_]*");
        }
    }

    /**
     * A new builder with default options.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this spec's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder()
                .integration(integration)
                .connector(connector, connectorSettings)
                .table(table)
                .dataType(dataType)
                .options(options);
    }

    /**
     * Builds a {@link SyncSpec}. Not thread-safe.
     */
    public static final class Builder {
        private String integration;
        private String connector;
        private ConnectorSettings connectorSettings;
        private TableName table;
        private DataType dataType;
        private SyncOptions options = SyncOptions.defaults();

        private Builder() {
        }

        /**
         * Sets the integration's name.
         *
         * @param integration a name matching {@code [a-z][a-z0-9_-]*}
         * @return this builder
         */
        public Builder integration(String integration) {
            this.integration = integration;
            return this;
        }

        /**
         * Sets the connector and its settings.
         *
         * @param connector the connector's name
         * @param settings its connection settings
         * @return this builder
         */
        public Builder connector(String connector, ConnectorSettings settings) {
            this.connector = connector;
            this.connectorSettings = settings;
            return this;
        }

        /**
         * Sets the source table.
         *
         * @param table the table or view
         * @return this builder
         */
        public Builder table(TableName table) {
            this.table = table;
            return this;
        }

        /**
         * Sets the source table from its dotted name.
         *
         * @param qualifiedName {@code schema.table} or {@code database.schema.table}
         * @return this builder
         */
        public Builder table(String qualifiedName) {
            this.table = TableName.parse(qualifiedName);
            return this;
        }

        /**
         * Sets the data type.
         *
         * @param dataType the data type
         * @return this builder
         */
        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /**
         * Sets the options.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(SyncOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Validates and builds the spec.
         *
         * @return the spec
         * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming what is missing or invalid
         */
        public SyncSpec build() {
            requireSet(integration, "integration");
            requireSet(connector, "connector");
            requireSet(table, "table");
            requireSet(dataType, "dataType");
            return new SyncSpec(integration, connector, connectorSettings, table, dataType, options);
        }

        private static void requireSet(Object value, String name) {
            if (value == null) {
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "SyncSpec: " + name + " is not set");
            }
        }
    }
}
