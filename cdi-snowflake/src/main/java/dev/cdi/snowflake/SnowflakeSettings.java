package dev.cdi.snowflake;

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
import java.util.regex.Pattern;

/**
 * The validated connection settings of a Snowflake connector, parsed without connecting. {@link #toString()} masks
 * the keys and their passphrases.
 *
 * <p>Immutable and thread-safe.
 *
 * @param accountName the account name the driver and the key-pair login use: the locator ({@code xy12345}) or
 *        {@code orgname-accountname}, upper case
 * @param host the account's host, derived from the account identifier unless given
 * @param port the port
 * @param ssl whether to use TLS
 * @param user the user, as configured
 * @param role the role, if set (else the user's default role)
 * @param warehouse the warehouse, if set (else the user's default warehouse)
 * @param database the session's database, if set
 * @param schema the session's schema, if set
 * @param privateKey the current key's PEM text
 * @param privateKeyPassphrase its passphrase, when the PEM is encrypted
 * @param previousPrivateKey the key being replaced during a rotation, if any
 * @param previousPrivateKeyPassphrase its passphrase
 * @param connectTimeout how long logging in may take
 * @param queryTimeout how long one statement may run, if limited
 */
record SnowflakeSettings(
        String accountName,
        String host,
        int port,
        boolean ssl,
        String user,
        Optional<String> role,
        Optional<String> warehouse,
        Optional<String> database,
        Optional<String> schema,
        String privateKey,
        Optional<String> privateKeyPassphrase,
        Optional<String> previousPrivateKey,
        Optional<String> previousPrivateKeyPassphrase,
        Duration connectTimeout,
        Optional<Duration> queryTimeout) {

    static final String ACCOUNT = "account";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String SSL = "ssl";
    static final String USER = "user";
    static final String ROLE = "role";
    static final String WAREHOUSE = "warehouse";
    static final String DATABASE = "database";
    static final String SCHEMA = "schema";
    static final String PRIVATE_KEY = "privateKey";
    static final String PRIVATE_KEY_PASSPHRASE = "privateKeyPassphrase";
    static final String PREVIOUS_PRIVATE_KEY = "previousPrivateKey";
    static final String PREVIOUS_PRIVATE_KEY_PASSPHRASE = "previousPrivateKeyPassphrase";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String QUERY_TIMEOUT = "queryTimeout";

    static final String HOST_SUFFIX = ".snowflakecomputing.com";
    private static final Pattern ACCOUNT_IDENTIFIER =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9][A-Za-z0-9_-]*){0,2}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");

    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(ACCOUNT, SettingType.STRING, "the account identifier: orgname-accountname, or a locator"
                    + " such as xy12345.us-east-1.aws").asRequired(),
            SettingDefinition.of(HOST, SettingType.STRING, "the host, when not <account>" + HOST_SUFFIX
                    + " (a private link, a test server)"),
            SettingDefinition.of(PORT, SettingType.INTEGER, "the port").withRange("1", "65535").withDefault("443"),
            SettingDefinition.of(SSL, SettingType.BOOLEAN, "TLS; false only against a local test server")
                    .withDefault("true"),
            SettingDefinition.of(USER, SettingType.STRING, "the service user whose RSA_PUBLIC_KEY holds CDI's key")
                    .asRequired(),
            SettingDefinition.of(ROLE, SettingType.STRING, "the role to use, else the user's default role"),
            SettingDefinition.of(WAREHOUSE, SettingType.STRING, "the warehouse to run queries on, else the user's"
                    + " default; a suspended warehouse resumes by itself"),
            SettingDefinition.of(DATABASE, SettingType.STRING, "the session's database"),
            SettingDefinition.of(SCHEMA, SettingType.STRING, "the session's schema"),
            SettingDefinition.of(PRIVATE_KEY, SettingType.STRING, "the PEM text of the key CDI generated (encrypted"
                    + " PKCS#8), or of any RSA key of at least 2048 bits").asRequired().asSecret(),
            SettingDefinition.of(PRIVATE_KEY_PASSPHRASE, SettingType.STRING, "the passphrase of an encrypted"
                    + " privateKey").asSecret(),
            SettingDefinition.of(PREVIOUS_PRIVATE_KEY, SettingType.STRING, "during a rotation, the key being"
                    + " replaced: used when Snowflake refuses privateKey").asSecret(),
            SettingDefinition.of(PREVIOUS_PRIVATE_KEY_PASSPHRASE, SettingType.STRING, "the passphrase of an"
                    + " encrypted previousPrivateKey").asSecret(),
            SettingDefinition.of(CONNECT_TIMEOUT, SettingType.DURATION, "how long logging in may take")
                    .withRange("PT1S", "PT10M").withDefault("PT60S"),
            SettingDefinition.of(QUERY_TIMEOUT, SettingType.DURATION, "the session's STATEMENT_TIMEOUT_IN_SECONDS,"
                    + " 0 or unset for none; a read streams in one statement, so allow for the largest read")
                    .withRange("PT0S", "P7D"));

    private static final SettingsSchema SCHEMA_OF_SETTINGS = new SettingsSchema(SnowflakeConnectorProvider.NAME,
            SETTINGS);

    /** Checks every part. */
    SnowflakeSettings {
        requireNonNull(accountName, "accountName is null");
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(role, "role is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(database, "database is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(privateKey, "privateKey is null");
        requireNonNull(privateKeyPassphrase, "privateKeyPassphrase is null");
        requireNonNull(previousPrivateKey, "previousPrivateKey is null");
        requireNonNull(previousPrivateKeyPassphrase, "previousPrivateKeyPassphrase is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
    }

    /**
     * Parses and checks the settings.
     *
     * @param settings the connection settings
     * @return the parsed settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    static SnowflakeSettings parse(ConnectorSettings settings) {
        SettingValues values = SCHEMA_OF_SETTINGS.parse(settings);
        String account = values.get(ACCOUNT).orElseThrow().strip();
        if (account.toLowerCase(Locale.ROOT).endsWith(HOST_SUFFIX)) {
            account = account.substring(0, account.length() - HOST_SUFFIX.length());
        }
        if (!ACCOUNT_IDENTIFIER.matcher(account).matches()) {
            throw invalid("Connection setting '" + ACCOUNT + "' must be orgname-accountname or a locator such as"
                    + " xy12345.us-east-1.aws, was '" + account + "'");
        }
        Optional<String> host = values.get(HOST).map(String::strip);
        if (host.isPresent() && !HOST_NAME.matcher(host.get()).matches()) {
            throw invalid("Connection setting '" + HOST + "' must be a host name or address, was '" + host.get() + "'");
        }
        if (settings.get(PREVIOUS_PRIVATE_KEY_PASSPHRASE).isPresent() && settings.get(PREVIOUS_PRIVATE_KEY).isEmpty()) {
            throw invalid("Connection setting '" + PREVIOUS_PRIVATE_KEY_PASSPHRASE + "' is set without '"
                    + PREVIOUS_PRIVATE_KEY + "'");
        }
        String accountName = account.contains(".") ? account.substring(0, account.indexOf('.')) : account;
        return new SnowflakeSettings(
                accountName.toUpperCase(Locale.ROOT),
                host.orElse(account.toLowerCase(Locale.ROOT) + HOST_SUFFIX),
                values.integer(PORT).orElseThrow().intValue(),
                values.bool(SSL).orElseThrow(),
                values.get(USER).orElseThrow(),
                values.get(ROLE),
                values.get(WAREHOUSE),
                values.get(DATABASE),
                values.get(SCHEMA),
                values.get(PRIVATE_KEY).orElseThrow(),
                values.get(PRIVATE_KEY_PASSPHRASE),
                values.get(PREVIOUS_PRIVATE_KEY),
                values.get(PREVIOUS_PRIVATE_KEY_PASSPHRASE),
                values.duration(CONNECT_TIMEOUT).orElseThrow(),
                values.duration(QUERY_TIMEOUT).filter(timeout -> !timeout.isZero()));
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    @Override
    public String toString() {
        return "SnowflakeSettings[account=" + accountName + ", host=" + host + ", port=" + port + ", ssl=" + ssl
                + ", user=" + user + ", role=" + role.orElse("(default)") + ", warehouse="
                + warehouse.orElse("(default)") + ", privateKey=****" + (previousPrivateKey.isPresent()
                ? ", previousPrivateKey=****" : "") + "]";
    }
}
