package dev.cdi.snowflake;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.jdbc.JdbcSourceConnector;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code snowflake} connector: reads a table or view of a Snowflake account through Snowflake's JDBC driver,
 * logged in with a key pair that CDI generates ({@code cdi keygen --snowflake}), rotated through the user's two
 * public-key slots without downtime.
 *
 * <p>Settings are declared by {@link #settings()}: {@code account} (required: {@code orgname-accountname} or a
 * locator such as {@code xy12345.us-east-1.aws}; the host is derived from it unless {@code host} is given),
 * {@code user} (required), {@code privateKey} (required, secret: the PEM text, usually {@code ${file:...}}) with
 * {@code privateKeyPassphrase}, optionally {@code previousPrivateKey} and its passphrase during a rotation,
 * {@code role}, {@code warehouse}, {@code database}, {@code schema}, {@code connectTimeout}, {@code queryTimeout}.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMP_NTZ} (UTC), {@code TIMESTAMP_LTZ} or {@code TIMESTAMP_TZ}, read to the
 * nanosecond; {@code PAYLOAD} may be {@code VARCHAR}, {@code VARIANT} or {@code OBJECT}. Each run's queries carry a
 * {@code QUERY_TAG} naming the integration and the run.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class SnowflakeConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "snowflake";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public SnowflakeConnectorProvider() {
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
     * What this connector supports: key-pair login, structured payloads, privileges the warehouse enforces.
     *
     * @return the capabilities
     */
    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.KEY_PAIR_AUTHENTICATION, ConnectorCapability.STRUCTURED_PAYLOAD,
                ConnectorCapability.JSON_PAYLOAD, ConnectorCapability.NANOSECOND_TIMESTAMPS, ConnectorCapability.PRIVILEGES);
    }

    /**
     * A one-line summary.
     *
     * @return what the connector reads
     */
    @Override
    public String description() {
        return "reads a table or view of a Snowflake account, logged in with a key pair CDI generates";
    }

    /**
     * The declared settings; the keys and their passphrases are secret.
     *
     * @return the settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return SnowflakeSettings.SETTINGS;
    }

    /**
     * Checks every setting without connecting, the keys decrypted with their passphrases included.
     *
     * @param settings the settings to check
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public void validate(ConnectorSettings settings) {
        SnowflakeSettings parsed = SnowflakeSettings.parse(settings);
        key(SnowflakeSettings.PRIVATE_KEY, parsed.privateKey(), parsed.privateKeyPassphrase());
        parsed.previousPrivateKey().ifPresent(previous -> key(SnowflakeSettings.PREVIOUS_PRIVATE_KEY, previous,
                parsed.previousPrivateKeyPassphrase()));
    }

    /**
     * Opens a connector. Settings and keys are checked first; nothing is connected until the first call.
     *
     * @param settings the connection settings
     * @return the connector, which the caller closes
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public SourceConnector open(ConnectorSettings settings) {
        SnowflakeSettings parsed = SnowflakeSettings.parse(settings);
        SnowflakeKeyPair key = key(SnowflakeSettings.PRIVATE_KEY, parsed.privateKey(), parsed.privateKeyPassphrase());
        Optional<SnowflakeKeyPair> previous = parsed.previousPrivateKey().map(pem ->
                key(SnowflakeSettings.PREVIOUS_PRIVATE_KEY, pem, parsed.previousPrivateKeyPassphrase()));
        return new JdbcSourceConnector(new SnowflakeDialect(parsed.user(), parsed.role(), parsed.warehouse()),
                new SnowflakeConnections(parsed, key, previous));
    }

    private static SnowflakeKeyPair key(String setting, String pem, Optional<String> passphrase) {
        Optional<char[]> chars = passphrase.map(String::toCharArray);
        try {
            return SnowflakeKeyPair.fromPem(pem, chars);
        } catch (CdiException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + setting + "': "
                    + e.getMessage(), e);
        } finally {
            chars.ifPresent(value -> Arrays.fill(value, '\0'));
        }
    }
}
