package dev.cdi.databricks;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingValues;
import dev.cdi.api.SettingsSchema;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated connection settings of a Databricks connector, parsed without connecting. {@link #toString()} masks
 * the token and the client secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the workspace's server hostname, such as {@code dbc-a1b2c3d4-e5f6.cloud.databricks.com}
 * @param port the port
 * @param ssl whether to use TLS
 * @param httpPath the SQL warehouse's HTTP path, {@code /sql/1.0/warehouses/<id>}
 * @param warehouseId the warehouse id, the last part of the HTTP path
 * @param catalog the session's catalog, if set (else the workspace's default)
 * @param schema the session's schema, if set (else {@code default})
 * @param authentication how to log in
 * @param warmupTimeout how long a run waits for a starting warehouse
 * @param queryTimeout how long one statement may run, if limited
 */
record DatabricksSettings(
        String host,
        int port,
        boolean ssl,
        String httpPath,
        String warehouseId,
        Optional<String> catalog,
        Optional<String> schema,
        Authentication authentication,
        Duration warmupTimeout,
        Optional<Duration> queryTimeout) {

    /** How the connector logs in. */
    sealed interface Authentication {
    }

    /**
     * A personal access token.
     *
     * @param token the token
     */
    record PersonalAccessToken(String token) implements Authentication {
        PersonalAccessToken {
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "PersonalAccessToken[****]";
        }
    }

    /**
     * OAuth machine-to-machine: a service principal's client id and OAuth secret.
     *
     * @param clientId the service principal's application (client) id
     * @param clientSecret its OAuth secret
     */
    record ServicePrincipal(String clientId, String clientSecret) implements Authentication {
        ServicePrincipal {
            requireNonNull(clientId, "clientId is null");
            requireNonNull(clientSecret, "clientSecret is null");
        }

        @Override
        public String toString() {
            return "ServicePrincipal[" + clientId + ", ****]";
        }
    }

    static final String HOST = "host";
    static final String PORT = "port";
    static final String SSL = "ssl";
    static final String HTTP_PATH = "httpPath";
    static final String CATALOG = "catalog";
    static final String SCHEMA = "schema";
    static final String TOKEN = "token";
    static final String CLIENT_ID = "clientId";
    static final String CLIENT_SECRET = "clientSecret";
    static final String WARMUP_TIMEOUT = "warmupTimeout";
    static final String QUERY_TIMEOUT = "queryTimeout";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern WAREHOUSE_PATH = Pattern.compile("/sql/1\\.0/(?:warehouses|endpoints)/([A-Za-z0-9]+)");
    private static final Pattern NAME = Pattern.compile("[^`\\p{Cntrl}]+");

    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(HOST, SettingType.STRING, "the workspace's server hostname, such as"
                    + " dbc-a1b2c3d4-e5f6.cloud.databricks.com (the SQL warehouse's connection details)").asRequired(),
            SettingDefinition.of(PORT, SettingType.INTEGER, "the port").withRange("1", "65535").withDefault("443"),
            SettingDefinition.of(SSL, SettingType.BOOLEAN, "TLS; false only against a local test server")
                    .withDefault("true"),
            SettingDefinition.of(HTTP_PATH, SettingType.STRING, "the SQL warehouse's HTTP path,"
                    + " /sql/1.0/warehouses/<id>").asRequired(),
            SettingDefinition.of(CATALOG, SettingType.STRING, "the session's catalog, for table names without one"),
            SettingDefinition.of(SCHEMA, SettingType.STRING, "the session's schema, for table names without one"),
            SettingDefinition.of(TOKEN, SettingType.STRING, "a personal access token (or one of a service principal);"
                    + " set this or clientId and clientSecret").asSecret(),
            SettingDefinition.of(CLIENT_ID, SettingType.STRING, "OAuth machine-to-machine: the service principal's"
                    + " application (client) id"),
            SettingDefinition.of(CLIENT_SECRET, SettingType.STRING, "OAuth machine-to-machine: the service principal's"
                    + " OAuth secret").asSecret(),
            SettingDefinition.of(WARMUP_TIMEOUT, SettingType.DURATION, "how long a run waits for a stopped SQL"
                    + " warehouse to start before failing (retryable)").withRange("PT0S", "PT1H").withDefault("PT10M"),
            SettingDefinition.of(QUERY_TIMEOUT, SettingType.DURATION, "the session's STATEMENT_TIMEOUT, 0 or unset"
                    + " for the warehouse's; a read streams in one statement, so allow for the largest read")
                    .withRange("PT0S", "P2D"));

    private static final SettingsSchema SCHEMA_OF_SETTINGS = new SettingsSchema(DatabricksConnectorProvider.NAME,
            SETTINGS);

    /** Checks every part. */
    DatabricksSettings {
        requireNonNull(host, "host is null");
        requireNonNull(httpPath, "httpPath is null");
        requireNonNull(warehouseId, "warehouseId is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(authentication, "authentication is null");
        requireNonNull(warmupTimeout, "warmupTimeout is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
    }

    /**
     * Parses and checks the settings.
     *
     * @param settings the connection settings
     * @return the parsed settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    static DatabricksSettings parse(ConnectorSettings settings) {
        SettingValues values = SCHEMA_OF_SETTINGS.parse(settings);
        String host = values.get(HOST).orElseThrow().strip();
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            host = host.substring(host.indexOf("://") + 3);
        }
        if (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw invalid("Connection setting '" + HOST + "' must be the server hostname, such as"
                    + " dbc-a1b2c3d4-e5f6.cloud.databricks.com, was '" + host + "'");
        }
        String httpPath = values.get(HTTP_PATH).orElseThrow().strip();
        Matcher path = WAREHOUSE_PATH.matcher(httpPath);
        if (!path.matches()) {
            throw invalid("Connection setting '" + HTTP_PATH + "' must be a SQL warehouse's HTTP path,"
                    + " /sql/1.0/warehouses/<id>, was '" + httpPath + "' (all-purpose clusters are not supported)");
        }
        Optional<String> catalog = name(values, CATALOG);
        Optional<String> schema = name(values, SCHEMA);
        Optional<String> token = values.get(TOKEN);
        Optional<String> clientId = values.get(CLIENT_ID).map(String::strip);
        Optional<String> clientSecret = values.get(CLIENT_SECRET);
        Authentication authentication;
        if (token.isPresent()) {
            if (clientId.isPresent() || clientSecret.isPresent()) {
                throw invalid("Connection settings '" + TOKEN + "' and '" + CLIENT_ID + "'/'" + CLIENT_SECRET
                        + "' are both set: use a token or a service principal's OAuth secret, not both");
            }
            authentication = new PersonalAccessToken(token.get().strip());
        } else if (clientId.isPresent() && clientSecret.isPresent()) {
            authentication = new ServicePrincipal(clientId.get(), clientSecret.get());
        } else if (clientId.isPresent() || clientSecret.isPresent()) {
            throw invalid("Connection setting '" + (clientId.isPresent() ? CLIENT_SECRET : CLIENT_ID)
                    + "' is missing: OAuth machine-to-machine needs both '" + CLIENT_ID + "' and '" + CLIENT_SECRET
                    + "'");
        } else {
            throw invalid("Connection setting '" + TOKEN + "' or '" + CLIENT_ID + "' and '" + CLIENT_SECRET
                    + "' is required: a personal access token or a service principal's OAuth secret");
        }
        return new DatabricksSettings(
                host,
                values.integer(PORT).orElseThrow().intValue(),
                values.bool(SSL).orElseThrow(),
                httpPath,
                path.group(1),
                catalog,
                schema,
                authentication,
                values.duration(WARMUP_TIMEOUT).orElseThrow(),
                values.duration(QUERY_TIMEOUT).filter(timeout -> !timeout.isZero()));
    }

    private static Optional<String> name(SettingValues values, String key) {
        Optional<String> name = values.get(key).map(String::strip);
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            throw invalid("Connection setting '" + key + "' must be a name without backticks or control characters");
        }
        return name;
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * Who the warehouse sees, for advice: the service principal's application id, or the token's owner.
     *
     * @return the principal, as a {@code GRANT ... TO} clause can name it
     */
    String principalForAdvice() {
        return authentication instanceof ServicePrincipal principal ? "`" + principal.clientId() + "`"
                : "`<the token's user or service principal>`";
    }

    @Override
    public String toString() {
        return "DatabricksSettings[host=" + host + ", port=" + port + ", ssl=" + ssl + ", httpPath=" + httpPath
                + ", catalog=" + catalog.orElse("(default)") + ", schema=" + schema.orElse("(default)")
                + ", authentication=" + authentication + ", warmupTimeout=" + warmupTimeout + "]";
    }
}
