package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.TableName;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.schedule.Schedule;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an integration is (SPEC section 9): which connector reads which table of which workspace with which
 * credential and settings, the data type, when it runs, whom to tell, and the options. Secrets are not here: they
 * live in the {@link Credential} named by {@link #credential()}. Build with {@link #builder()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the integration's name, matching {@code [a-z][a-z0-9_-]*} (at most 128 characters), unique in the
 *        registry
 * @param workspace the name of its workspace
 * @param connector the connector's name, matching {@code [a-z][a-z0-9_]*}
 * @param credential the name of the credential holding the connector's secrets
 * @param connectionSettings the connector's non-secret settings (such as an account or a warehouse)
 * @param table the source table or view
 * @param dataType what the rows hold; it cannot change after creation
 * @param schedule when it runs, read in the workspace's time zone
 * @param notifications whom to tell about its runs, if anyone
 * @param options the sync options
 */
public record IntegrationDefinition(
        String name,
        String workspace,
        String connector,
        String credential,
        Map<String, String> connectionSettings,
        TableName table,
        DataType dataType,
        Schedule schedule,
        Optional<NotificationPreferences> notifications,
        SyncOptions options) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,127}");
    private static final Pattern CONNECTOR_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** Validates every part and copies the settings. */
    public IntegrationDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(connector, "connector is null");
        requireNonNull(credential, "credential is null");
        connectionSettings = Map.copyOf(requireNonNull(connectionSettings, "connectionSettings is null"));
        requireNonNull(table, "table is null");
        requireNonNull(dataType, "dataType is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(notifications, "notifications is null");
        requireNonNull(options, "options is null");
        if (!NAME.matcher(name).matches()) {
            throw invalid("Integration name '" + name + "' must match [a-z][a-z0-9_-]* (at most 128 characters)");
        }
        if (!CONNECTOR_NAME.matcher(connector).matches()) {
            throw invalid("Integration '" + name + "': connector name '" + connector + "' must match [a-z][a-z0-9_]*");
        }
    }

    /**
     * A builder with no notifications and default options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this definition's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .name(name)
                .workspace(workspace)
                .connector(connector)
                .credential(credential)
                .connectionSettings(connectionSettings)
                .table(table)
                .dataType(dataType)
                .schedule(schedule)
                .notifications(notifications)
                .options(options);
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * Builds an {@link IntegrationDefinition}; validation happens in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private String workspace;
        private String connector;
        private String credential;
        private Map<String, String> connectionSettings = Map.of();
        private TableName table;
        private DataType dataType;
        private Schedule schedule;
        private Optional<NotificationPreferences> notifications = Optional.empty();
        private SyncOptions options = SyncOptions.defaults();

        private Builder() {
        }

        /**
         * Sets the integration's name.
         *
         * @param name a name matching {@code [a-z][a-z0-9_-]*}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the workspace.
         *
         * @param workspace the workspace's name
         * @return this builder
         */
        public Builder workspace(String workspace) {
            this.workspace = workspace;
            return this;
        }

        /**
         * Sets the connector.
         *
         * @param connector the connector's name
         * @return this builder
         */
        public Builder connector(String connector) {
            this.connector = connector;
            return this;
        }

        /**
         * Sets the credential.
         *
         * @param credential the credential's name
         * @return this builder
         */
        public Builder credential(String credential) {
            this.credential = credential;
            return this;
        }

        /**
         * Replaces the non-secret connection settings (none by default).
         *
         * @param connectionSettings the settings
         * @return this builder
         */
        public Builder connectionSettings(Map<String, String> connectionSettings) {
            this.connectionSettings = connectionSettings;
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
         * Sets the schedule.
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets the notification preferences (none by default).
         *
         * @param notifications the preferences, or empty for none
         * @return this builder
         */
        public Builder notifications(Optional<NotificationPreferences> notifications) {
            this.notifications = notifications;
            return this;
        }

        /**
         * Sets the options ({@link SyncOptions#defaults()} by default).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(SyncOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Validates and builds the definition.
         *
         * @return the definition
         * @throws CdiException {@code INVALID_CONFIGURATION} naming what is missing or invalid
         */
        public IntegrationDefinition build() {
            requireSet(name, "name");
            requireSet(workspace, "workspace");
            requireSet(connector, "connector");
            requireSet(credential, "credential");
            requireSet(table, "table");
            requireSet(dataType, "dataType");
            requireSet(schedule, "schedule");
            return new IntegrationDefinition(name, workspace, connector, credential, connectionSettings, table,
                    dataType, schedule, notifications, options);
        }

        private void requireSet(Object value, String field) {
            if (value == null) {
                throw invalid("IntegrationDefinition" + (name == null ? "" : " '" + name + "'") + ": " + field
                        + " is not set");
            }
        }
    }
}
