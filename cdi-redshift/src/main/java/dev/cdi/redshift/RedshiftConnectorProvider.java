package dev.cdi.redshift;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.jdbc.JdbcSourceConnector;
import dev.cdi.redshift.tunnel.SshKeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code redshift} connector: reads a table or view of an Amazon Redshift cluster (or Redshift Serverless
 * workgroup) through the Amazon Redshift JDBC driver with user and password login, over TLS, directly or through an
 * SSH tunnel to a bastion host.
 *
 * <p>Settings, as {@link #settings()} declares them (all text; durations are ISO-8601, such as {@code PT30S}, a whole
 * number of seconds, or a number with a unit such as {@code 30s} or {@code 5m}):
 * <ul>
 *   <li>{@code host} (required): the cluster's endpoint, such as
 *       {@code examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com}; when tunnelling, as the bastion
 *       resolves it.</li>
 *   <li>{@code port} (default {@code 5439}).</li>
 *   <li>{@code database} (required): letters, digits and {@code _} only, such as {@code dev}.</li>
 *   <li>{@code user}, {@code password} (required; the password is secret).</li>
 *   <li>{@code ssl} (default {@code true}): TLS. Turn it off only against a test server without TLS.</li>
 *   <li>{@code sslMode} ({@code verify-full}, the default: the certificate must be trusted and name the host;
 *       {@code verify-ca}: trusted, any name; {@code require}: encrypted, not checked).</li>
 *   <li>{@code connectTimeout} (default {@code PT30S}, 1 s to 10 minutes): how long connecting, and reaching the
 *       bastion, may take.</li>
 *   <li>{@code queryTimeout} (default none; {@code 0} for none, at most 24 days): how long one statement may run,
 *       as the session's {@code statement_timeout}. A read streams in one statement, so allow for the largest
 *       read.</li>
 *   <li>SSH tunnel, when {@code sshHost} is set: {@code sshHost}, {@code sshPort} (default {@code 22}),
 *       {@code sshUser}, {@code sshPrivateKey} (the PEM text of the key that
 *       {@link SshKeyPair#encryptedPrivateKeyPem(char[])} wrote; secret), {@code sshPrivateKeyPassphrase} (secret),
 *       and the bastion's host key: {@code sshHostKeyFingerprint} (pinned, {@code SHA256:...} as
 *       {@code ssh-keygen -l} prints it) or {@code sshTrustOnFirstUse=true} with {@code sshKnownHostsFile} (the
 *       key seen first is recorded in that file and required from then on). A changed host key is refused.</li>
 * </ul>
 * Unknown settings are refused, naming them.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMPTZ} or {@code TIMESTAMP} (UTC), read at microsecond precision;
 * {@code PAYLOAD} may be {@code VARCHAR}, {@code CHAR}, {@code TEXT} or {@code SUPER}, read as JSON text; the driver
 * cannot read PostgreSQL's {@code jsonb}. Each connector holds a small connection pool, and its tunnel, from its
 * first query until it is closed.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class RedshiftConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "redshift";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public RedshiftConnectorProvider() {
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
     * What this connector supports: the SSH tunnel, and privileges the warehouse enforces.
     *
     * @return the capabilities
     */
    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.SSH_TUNNEL, ConnectorCapability.PRIVILEGES);
    }

    /**
     * A one-line summary.
     *
     * @return what the connector reads
     */
    @Override
    public String description() {
        return "reads a table or view of an Amazon Redshift cluster, directly or through an SSH tunnel";
    }

    /**
     * The settings; {@code password}, {@code sshPrivateKey} and {@code sshPrivateKeyPassphrase} are secret, so
     * {@link #secretSettingKeys()} returns them.
     *
     * @return the declared settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return RedshiftSettings.SETTINGS;
    }

    /**
     * Checks every setting without connecting: each is parsed, and the SSH private key is decrypted with its
     * passphrase.
     *
     * @param settings the settings to check
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    @Override
    public void validate(ConnectorSettings settings) {
        RedshiftSettings parsed = RedshiftSettings.parse(settings);
        parsed.sshTunnelSettings();
        sshKey(parsed);
    }

    /**
     * Opens a connector. Settings are checked first; nothing is connected (no tunnel, no database session) until
     * the connector's first call.
     *
     * @param settings the connection settings
     * @return the connector, which the caller closes
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting when a setting is
     *         missing, unknown or invalid
     */
    @Override
    public SourceConnector open(ConnectorSettings settings) {
        RedshiftSettings parsed = RedshiftSettings.parse(settings);
        parsed.sshTunnelSettings();
        return new JdbcSourceConnector(new RedshiftDialect(), new RedshiftConnections(parsed, sshKey(parsed)));
    }

    private static Optional<SshKeyPair> sshKey(RedshiftSettings settings) {
        if (settings.ssh().isEmpty()) {
            return Optional.empty();
        }
        RedshiftSettings.Ssh ssh = settings.ssh().get();
        char[] passphrase = ssh.privateKeyPassphrase().toCharArray();
        try {
            return Optional.of(SshKeyPair.fromEncryptedPem(ssh.privateKey(), passphrase));
        } catch (CdiException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '"
                    + RedshiftSettings.SSH_PRIVATE_KEY + "' (with '" + RedshiftSettings.SSH_PRIVATE_KEY_PASSPHRASE
                    + "'): " + e.getMessage(), e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
