package dev.cdi.redshift;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingValues;
import dev.cdi.api.SettingsSchema;
import dev.cdi.redshift.tunnel.SshTunnelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated connection settings of a Redshift connector, parsed from {@link ConnectorSettings} without
 * connecting to anything. {@link #toString()} masks the password and the SSH key and passphrase.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the cluster's endpoint host name or address, as the SSH bastion sees it when tunnelling
 * @param port the cluster's port
 * @param database the database
 * @param user the database user
 * @param password the user's password
 * @param ssl whether to use TLS
 * @param sslMode how the server's certificate is checked when {@code ssl} is on
 * @param connectTimeout how long connecting (and, when tunnelling, reaching the bastion) may take
 * @param queryTimeout how long one statement may run, when limited
 * @param ssh the SSH tunnel, when the cluster is reached through a bastion host
 */
record RedshiftSettings(
        String host,
        int port,
        String database,
        String user,
        String password,
        boolean ssl,
        SslMode sslMode,
        Duration connectTimeout,
        Optional<Duration> queryTimeout,
        Optional<Ssh> ssh) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String DATABASE = "database";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String SSL = "ssl";
    static final String SSL_MODE = "sslMode";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String QUERY_TIMEOUT = "queryTimeout";
    static final String SSH_HOST = "sshHost";
    static final String SSH_PORT = "sshPort";
    static final String SSH_USER = "sshUser";
    static final String SSH_PRIVATE_KEY = "sshPrivateKey";
    static final String SSH_PRIVATE_KEY_PASSPHRASE = "sshPrivateKeyPassphrase";
    static final String SSH_HOST_KEY_FINGERPRINT = "sshHostKeyFingerprint";
    static final String SSH_TRUST_ON_FIRST_USE = "sshTrustOnFirstUse";
    static final String SSH_KNOWN_HOSTS_FILE = "sshKnownHostsFile";

    static final int DEFAULT_PORT = 5439;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(10);
    // statement_timeout is a 32-bit count of milliseconds on both Redshift and PostgreSQL.
    static final Duration MAX_QUERY_TIMEOUT = Duration.ofDays(24);

    /** Every setting, in the order the documentation lists them. */
    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(HOST, SettingType.STRING,
                    "the cluster endpoint; with a tunnel, as the bastion resolves it").asRequired(),
            SettingDefinition.of(PORT, SettingType.INTEGER, "the cluster's port").withRange("1", "65535")
                    .withDefault(Integer.toString(DEFAULT_PORT)),
            SettingDefinition.of(DATABASE, SettingType.STRING, "the database: letters, digits and _ only")
                    .asRequired(),
            SettingDefinition.of(USER, SettingType.STRING, "the database user").asRequired(),
            SettingDefinition.of(PASSWORD, SettingType.STRING, "the user's password").asRequired().asSecret(),
            SettingDefinition.of(SSL, SettingType.BOOLEAN, "TLS; false only against a test server without TLS")
                    .withDefault("true"),
            SettingDefinition.oneOf(SSL_MODE, "verify-full: trusted certificate naming the host; verify-ca: trusted,"
                    + " any name; require: encrypted, not checked", List.of("verify-full", "verify-ca", "require"))
                    .withDefault("verify-full"),
            SettingDefinition.of(CONNECT_TIMEOUT, SettingType.DURATION,
                    "how long connecting and, with a tunnel, reaching the bastion may take")
                    .withRange("PT1S", MAX_CONNECT_TIMEOUT.toString()).withDefault(DEFAULT_CONNECT_TIMEOUT.toString()),
            SettingDefinition.of(QUERY_TIMEOUT, SettingType.DURATION, "the session's statement_timeout, 0 or unset"
                    + " for none; a read streams in one statement, so allow for the largest read")
                    .withRange("PT0S", "P24D"),
            SettingDefinition.of(SSH_HOST, SettingType.STRING, "the SSH bastion host; setting it turns the tunnel on"),
            SettingDefinition.of(SSH_PORT, SettingType.INTEGER, "the bastion's SSH port").withRange("1", "65535")
                    .withDefault(Integer.toString(SshTunnelSettings.DEFAULT_PORT)),
            SettingDefinition.of(SSH_USER, SettingType.STRING,
                    "required with sshHost: the bastion user whose authorized_keys holds CDI's public key"),
            SettingDefinition.of(SSH_PRIVATE_KEY, SettingType.STRING,
                    "required with sshHost: the encrypted PEM text (-----BEGIN ENCRYPTED PRIVATE KEY-----)").asSecret(),
            SettingDefinition.of(SSH_PRIVATE_KEY_PASSPHRASE, SettingType.STRING,
                    "required with sshHost: the private key's passphrase").asSecret(),
            SettingDefinition.of(SSH_HOST_KEY_FINGERPRINT, SettingType.STRING,
                    "the bastion's pinned host key, SHA256:... as ssh-keygen -l prints it"),
            SettingDefinition.of(SSH_TRUST_ON_FIRST_USE, SettingType.BOOLEAN,
                    "with no pinned fingerprint, record the key seen first in sshKnownHostsFile and require it after")
                    .withDefault("false"),
            SettingDefinition.of(SSH_KNOWN_HOSTS_FILE, SettingType.PATH,
                    "where trusted bastion host keys are remembered between runs"));
    private static final SettingsSchema SCHEMA = new SettingsSchema(RedshiftConnectorProvider.NAME, SETTINGS);
    /** The settings whose values are secret: the password, the SSH key and its passphrase. */
    static final Set<String> SECRET_KEYS = SCHEMA.secretKeys();
    private static final String MASK = "****";
    // The host and database are written into the JDBC URL, so only characters that cannot start a URL part pass.
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6_ADDRESS = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]{1,127}");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    /** Validates every part. */
    RedshiftSettings {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(sslMode, "sslMode is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        requireNonNull(ssh, "ssh is null");
        host = checkHost(host);
        requirePort(PORT, port);
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw invalid("Connection setting '" + DATABASE + "' may hold only letters, digits and '_', was '"
                    + database + "'");
        }
        requireText(USER, user);
        if (password.isEmpty()) {
            throw invalid("Connection setting '" + PASSWORD + "' is required");
        }
        requireWithin(CONNECT_TIMEOUT, connectTimeout, Duration.ofSeconds(1), MAX_CONNECT_TIMEOUT);
        queryTimeout.ifPresent(timeout -> requireWithin(QUERY_TIMEOUT, timeout, Duration.ofMillis(1), MAX_QUERY_TIMEOUT));
    }

    /**
     * Parses and checks settings without connecting.
     *
     * @param settings the connection settings
     * @return the settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming each setting that is unknown, or the
     *         first that is missing or invalid
     */
    static RedshiftSettings parse(ConnectorSettings settings) {
        requireNonNull(settings, "settings is null");
        SettingValues values = SCHEMA.parse(settings);
        boolean ssl = values.bool(SSL).orElseThrow();
        if (!ssl && settings.get(SSL_MODE).isPresent()) {
            throw invalid("Connection setting '" + SSL_MODE + "' is set but '" + SSL + "' is false; remove one");
        }
        return new RedshiftSettings(
                values.get(HOST).orElseThrow(),
                values.integer(PORT).orElseThrow().intValue(),
                values.get(DATABASE).orElseThrow(),
                values.get(USER).orElseThrow(),
                values.get(PASSWORD).orElseThrow(),
                ssl,
                SslMode.parse(values.get(SSL_MODE).orElseThrow()),
                values.duration(CONNECT_TIMEOUT).orElseThrow(),
                values.duration(QUERY_TIMEOUT).filter(timeout -> !timeout.isZero()),
                parseSsh(settings, values));
    }

    private static Optional<Ssh> parseSsh(ConnectorSettings settings, SettingValues values) {
        List<String> given = new ArrayList<>();
        for (SettingDefinition definition : SETTINGS) {
            if (definition.key().startsWith("ssh") && settings.get(definition.key()).isPresent()) {
                given.add(definition.key());
            }
        }
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (settings.get(SSH_HOST).isEmpty()) {
            throw invalid("Connection setting '" + SSH_HOST + "' is required when SSH settings are given " + given);
        }
        return Optional.of(new Ssh(
                settings.require(SSH_HOST),
                values.integer(SSH_PORT).orElseThrow().intValue(),
                settings.require(SSH_USER),
                settings.require(SSH_PRIVATE_KEY),
                settings.require(SSH_PRIVATE_KEY_PASSPHRASE),
                values.get(SSH_HOST_KEY_FINGERPRINT).map(String::strip),
                values.bool(SSH_TRUST_ON_FIRST_USE).orElseThrow(),
                values.path(SSH_KNOWN_HOSTS_FILE)));
    }

    /**
     * The SSH tunnel's settings for {@link dev.cdi.redshift.tunnel.SshTunnel}.
     *
     * @return the tunnel settings, when tunnelling
     */
    Optional<SshTunnelSettings> sshTunnelSettings() {
        return ssh.map(tunnel -> new SshTunnelSettings(tunnel.host(), tunnel.port(), tunnel.user(),
                tunnel.hostKeyFingerprint(), tunnel.trustOnFirstUse(), connectTimeout));
    }

    @Override
    public String toString() {
        return "RedshiftSettings[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + MASK + ", ssl=" + ssl + ", sslMode=" + sslMode.driverValue() + ", connectTimeout="
                + connectTimeout + ", queryTimeout=" + queryTimeout.map(Duration::toString).orElse("none") + ", ssh="
                + ssh.map(Ssh::toString).orElse("none") + "]";
    }

    private static String checkHost(String host) {
        String stripped = host.strip();
        if (!HOST_NAME.matcher(stripped).matches() && !IPV6_ADDRESS.matcher(stripped).matches()) {
            throw invalid("Connection setting '" + HOST + "' must be a host name or an IP address, was '" + host + "'");
        }
        return stripped;
    }

    private static void requirePort(String key, int port) {
        if (port < 1 || port > 65_535) {
            throw invalid("Connection setting '" + key + "' must be between 1 and 65535, was " + port);
        }
    }

    private static void requireText(String key, String value) {
        if (value.isBlank()) {
            throw invalid("Connection setting '" + key + "' is required");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw invalid("Connection setting '" + key + "' contains a control character");
            }
        }
    }

    private static void requireWithin(String key, Duration value, Duration minimum, Duration maximum) {
        if (value.compareTo(minimum) < 0 || value.compareTo(maximum) > 0) {
            throw invalid("Connection setting '" + key + "' must be between " + minimum + " and " + maximum + ", was "
                    + value);
        }
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** How the driver checks the server's TLS certificate. */
    enum SslMode {
        /** The certificate must be signed by a trusted authority and name the host connected to. */
        VERIFY_FULL("verify-full"),
        /** The certificate must be signed by a trusted authority; its host name is not checked. */
        VERIFY_CA("verify-ca"),
        /** Traffic is encrypted but the certificate is not checked. */
        REQUIRE("require");

        private final String driverValue;

        SslMode(String driverValue) {
            this.driverValue = driverValue;
        }

        /**
         * The value of the driver's {@code sslmode} property.
         *
         * @return such as {@code verify-full}
         */
        String driverValue() {
            return driverValue;
        }

        static SslMode parse(String text) {
            String normalised = text.strip().toLowerCase(Locale.ROOT);
            for (SslMode mode : values()) {
                if (mode.driverValue.equals(normalised)) {
                    return mode;
                }
            }
            throw invalid("Connection setting '" + SSL_MODE + "' must be verify-full, verify-ca or require, was '"
                    + text + "'");
        }
    }

    /**
     * The SSH tunnel to a bastion host. {@link #toString()} masks the key and its passphrase.
     *
     * @param host the bastion's host name or address
     * @param port the bastion's SSH port
     * @param user the user to log in as on the bastion
     * @param privateKey the private key as an encrypted PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----})
     * @param privateKeyPassphrase the key's passphrase
     * @param hostKeyFingerprint the pinned SHA-256 fingerprint of the bastion's host key, when pinned
     * @param trustOnFirstUse whether, with no fingerprint pinned or known, the first key seen is recorded and trusted
     * @param knownHostsFile where trusted host keys are remembered between runs, when set
     */
    record Ssh(
            String host,
            int port,
            String user,
            String privateKey,
            String privateKeyPassphrase,
            Optional<String> hostKeyFingerprint,
            boolean trustOnFirstUse,
            Optional<Path> knownHostsFile) {

        /** Validates every part. */
        Ssh {
            requireNonNull(host, "host is null");
            requireNonNull(user, "user is null");
            requireNonNull(privateKey, "privateKey is null");
            requireNonNull(privateKeyPassphrase, "privateKeyPassphrase is null");
            requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
            requireNonNull(knownHostsFile, "knownHostsFile is null");
            host = host.strip();
            if (!HOST_NAME.matcher(host).matches() && !IPV6_ADDRESS.matcher(host).matches()) {
                throw invalid("Connection setting '" + SSH_HOST + "' must be a host name or an IP address, was '"
                        + host + "'");
            }
            requirePort(SSH_PORT, port);
            requireText(SSH_USER, user);
            if (user.chars().anyMatch(Character::isWhitespace)) {
                throw invalid("Connection setting '" + SSH_USER + "' must not contain spaces, was '" + user + "'");
            }
            if (!privateKey.strip().startsWith("-----BEGIN ")) {
                // The value is a secret: say what was expected, never show it.
                throw invalid("Connection setting '" + SSH_PRIVATE_KEY + "' must be the PEM text of the encrypted"
                        + " private key ('-----BEGIN ENCRYPTED PRIVATE KEY-----' ...)");
            }
            if (privateKeyPassphrase.isEmpty()) {
                throw invalid("Connection setting '" + SSH_PRIVATE_KEY_PASSPHRASE + "' is required");
            }
            if (hostKeyFingerprint.isPresent() && !FINGERPRINT.matcher(hostKeyFingerprint.get()).matches()) {
                throw invalid("Connection setting '" + SSH_HOST_KEY_FINGERPRINT + "' must be a SHA-256 fingerprint as"
                        + " 'ssh-keygen -l -E sha256 -f KEY.pub' prints it (SHA256: and 43 Base64 characters), was '"
                        + hostKeyFingerprint.get() + "'");
            }
            if (trustOnFirstUse && hostKeyFingerprint.isEmpty() && knownHostsFile.isEmpty()) {
                throw invalid("Connection setting '" + SSH_TRUST_ON_FIRST_USE + "' needs '" + SSH_KNOWN_HOSTS_FILE
                        + "', where the bastion's host key is remembered after the first connection; without it"
                        + " every run would trust whatever key it is shown");
            }
        }

        @Override
        public String toString() {
            return "Ssh[host=" + host + ", port=" + port + ", user=" + user + ", privateKey=" + MASK
                    + ", privateKeyPassphrase=" + MASK + ", hostKeyFingerprint=" + hostKeyFingerprint.orElse("none")
                    + ", trustOnFirstUse=" + trustOnFirstUse + ", knownHostsFile="
                    + knownHostsFile.map(Path::toString).orElse("none") + "]";
        }
    }
}
