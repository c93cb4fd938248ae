package dev.cdi.spring.boot;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cdi.*} properties. A mutable bean, as Spring binds it; the values are checked when the service is
 * built from them, by the same validating types as everywhere in CDI.
 *
 * <pre>
 * cdi:
 *   secret-key: ${CDI_SECRET_KEY}
 *   integrations:
 *     users:
 *       connector: snowflake
 *       settings: {account: acme-xy12345, user: CDI, warehouse: SYNC}
 *       secrets: {password: ${SNOWFLAKE_PASSWORD}}
 *       table: ANALYTICS.PUBLIC.USERS
 *       data-type: attributes
 *       schedule: every 15 minutes
 * </pre>
 *
 * <p>Not thread-safe; Spring binds it once, at start-up.
 */
@ConfigurationProperties(prefix = "cdi")
public class CdiProperties {

    /** Whether to build and start CDI at all. */
    private boolean enabled = true;

    /**
     * The application's key, in Base64 (32 bytes), which encrypts connection secrets at rest. Required; keep it out
     * of source control, for instance in an environment variable.
     */
    private String secretKey;

    /** The workspace every configured integration and its credential belong to. */
    private String workspace = "default";

    /** The time zone in which schedules are read, an IANA name such as Europe/Paris. */
    private ZoneId timeZone = ZoneId.of("UTC");

    /** How many runs may go on at once in this instance. */
    private int threads = 4;

    /** How often due integrations are looked for. */
    private Duration tickInterval = Duration.ofSeconds(15);

    /** The PostgreSQL schema of CDI's tables, in the application's DataSource. */
    private String stateSchema = "cdi";

    /** The integrations, by name (lower case letters, digits, '_' and '-'). */
    private Map<String, Integration> integrations = new LinkedHashMap<>();

    /**
     * Whether CDI is built and started.
     *
     * @return {@code true} by default
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether CDI is built and started.
     *
     * @param enabled false turns the auto-configuration off
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The application's key in Base64.
     *
     * @return the key, or null when not set
     */
    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Sets the application's key.
     *
     * @param secretKey the key in Base64
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    /**
     * The workspace of the configured integrations.
     *
     * @return the workspace's name
     */
    public String getWorkspace() {
        return workspace;
    }

    /**
     * Sets the workspace of the configured integrations.
     *
     * @param workspace its name
     */
    public void setWorkspace(String workspace) {
        this.workspace = workspace;
    }

    /**
     * The time zone of schedules.
     *
     * @return the zone
     */
    public ZoneId getTimeZone() {
        return timeZone;
    }

    /**
     * Sets the time zone of schedules.
     *
     * @param timeZone the zone
     */
    public void setTimeZone(ZoneId timeZone) {
        this.timeZone = timeZone;
    }

    /**
     * How many runs may go on at once.
     *
     * @return the number of threads
     */
    public int getThreads() {
        return threads;
    }

    /**
     * Sets how many runs may go on at once.
     *
     * @param threads at least 1
     */
    public void setThreads(int threads) {
        this.threads = threads;
    }

    /**
     * How often due integrations are looked for.
     *
     * @return the interval
     */
    public Duration getTickInterval() {
        return tickInterval;
    }

    /**
     * Sets how often due integrations are looked for.
     *
     * @param tickInterval positive
     */
    public void setTickInterval(Duration tickInterval) {
        this.tickInterval = tickInterval;
    }

    /**
     * The PostgreSQL schema of CDI's tables.
     *
     * @return the schema's name
     */
    public String getStateSchema() {
        return stateSchema;
    }

    /**
     * Sets the PostgreSQL schema of CDI's tables.
     *
     * @param stateSchema the schema's name
     */
    public void setStateSchema(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    /**
     * The integrations by name.
     *
     * @return the live map
     */
    public Map<String, Integration> getIntegrations() {
        return integrations;
    }

    /**
     * Sets the integrations.
     *
     * @param integrations by name
     */
    public void setIntegrations(Map<String, Integration> integrations) {
        this.integrations = integrations;
    }

    /**
     * One integration: which connector reads which table, when, and which sink bean receives its rows. Not
     * thread-safe.
     */
    public static class Integration {

        /** The connector's name, such as snowflake, bigquery, databricks, redshift, fabric or duckdb. */
        private String connector;

        /** The connector's non-secret connection settings (such as account, warehouse, path). */
        private Map<String, String> settings = new LinkedHashMap<>();

        /** The connector's secret settings (such as password or privateKey); stored encrypted. */
        private Map<String, String> secrets = new LinkedHashMap<>();

        /** The source table or view, qualified as the warehouse names it (such as DB.SCHEMA.USERS). */
        private String table;

        /** What the rows hold: attributes, events, purchases, ... as in CDI's configuration files. */
        private String dataType;

        /** When it runs, such as "every 15 minutes", "hourly at :05" or "daily at 02:30". */
        private String schedule;

        /** The name of the RowSink bean receiving the rows; by default the integration's name. */
        private String sink;

        /**
         * The connector's name.
         *
         * @return the name
         */
        public String getConnector() {
            return connector;
        }

        /**
         * Sets the connector's name.
         *
         * @param connector the name
         */
        public void setConnector(String connector) {
            this.connector = connector;
        }

        /**
         * The non-secret connection settings.
         *
         * @return the live map
         */
        public Map<String, String> getSettings() {
            return settings;
        }

        /**
         * Sets the non-secret connection settings.
         *
         * @param settings by key
         */
        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }

        /**
         * The secret connection settings.
         *
         * @return the live map
         */
        public Map<String, String> getSecrets() {
            return secrets;
        }

        /**
         * Sets the secret connection settings.
         *
         * @param secrets by key
         */
        public void setSecrets(Map<String, String> secrets) {
            this.secrets = secrets;
        }

        /**
         * The source table.
         *
         * @return its qualified name
         */
        public String getTable() {
            return table;
        }

        /**
         * Sets the source table.
         *
         * @param table its qualified name
         */
        public void setTable(String table) {
            this.table = table;
        }

        /**
         * The data type.
         *
         * @return its configuration name
         */
        public String getDataType() {
            return dataType;
        }

        /**
         * Sets the data type.
         *
         * @param dataType its configuration name, such as attributes
         */
        public void setDataType(String dataType) {
            this.dataType = dataType;
        }

        /**
         * The schedule.
         *
         * @return its text
         */
        public String getSchedule() {
            return schedule;
        }

        /**
         * Sets the schedule.
         *
         * @param schedule its text, such as "every 15 minutes"
         */
        public void setSchedule(String schedule) {
            this.schedule = schedule;
        }

        /**
         * The sink bean's name.
         *
         * @return the name, or null for the integration's name
         */
        public String getSink() {
            return sink;
        }

        /**
         * Sets the sink bean's name.
         *
         * @param sink a RowSink bean's name
         */
        public void setSink(String sink) {
            this.sink = sink;
        }
    }
}
