package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Stands in for an Amazon Redshift cluster in tests: a real PostgreSQL server (embedded, started by the test
 * itself, nothing to install) behind a small loopback proxy, so that the real Redshift JDBC driver connects to
 * it, binds parameters and streams results.
 *
 * <pre>{@code
 * try (TestingRedshiftServer redshift = TestingRedshiftServer.start()) {
 *     redshift.execute("CREATE TABLE public.users (updated_at timestamptz, external_id varchar, payload varchar)");
 *     // connect with redshift.jdbcUrl(), redshift.user(), redshift.password()
 * }
 * }</pre>
 *
 * <p>The Redshift driver refuses a plain PostgreSQL in three ways, and this server removes each:
 * <ul>
 *   <li>the driver asks for TLS by default: this server has none, so clients must connect with {@code ssl=false}
 *       ({@link #jdbcUrl()} says so); a client that insists on TLS gets PostgreSQL's own "no TLS" answer;</li>
 *   <li>the driver cannot do SCRAM authentication: passwords are stored and checked as md5;</li>
 *   <li>the driver sends Redshift-only start-up parameters ({@code driver_version}, {@code os_version},
 *       {@code client_protocol_version}, {@code driver_discovery_version}) that PostgreSQL refuses: the proxy
 *       rewrites the start-up packet without them, then copies bytes both ways unchanged.</li>
 * </ul>
 *
 * <p>What differs from Redshift: it is PostgreSQL 18, so Redshift-only SQL ({@code SUPER}, {@code GETDATE()},
 * {@code SYSDATE}, distribution and sort keys, {@code varchar(max)}) is unknown and PostgreSQL-only types such as
 * {@code jsonb} exist; there is no TLS; {@code CURRENT_TIMESTAMP} and {@code now()} work (Redshift no longer
 * supports them). The server's time zone and the test user's session time zone are {@value #SESSION_TIME_ZONE},
 * not UTC, so that a test shows that nothing depends on them.
 *
 * <p>Set-up: database {@value #DATABASE}; a non-superuser {@link #user()} with an md5 password, which may read
 * every table, view and schema created through {@link #execute} or {@link #adminConnection()} (default
 * privileges) but owns nothing; further users with {@link #createUser}, who may read nothing until granted.
 * {@link #adminConnection()} is a superuser connection through the PostgreSQL driver, straight to the server.
 *
 * <p>Thread-safe. Starting takes about a second; {@link #close()} stops the server and deletes its data.
 */
public final class TestingRedshiftServer implements AutoCloseable {

    /** The database tests use, named like Redshift's default database. */
    public static final String DATABASE = "dev";
    /** The session time zone of every connection that does not set its own. */
    public static final String SESSION_TIME_ZONE = "Asia/Kathmandu";

    /** Start-up parameters that only Redshift accepts; PostgreSQL refuses a connection that sends any. */
    static final Set<String> REDSHIFT_ONLY_PARAMETERS = Set.of("driver_version", "os_version",
            "client_protocol_version", "driver_discovery_version", "plugin_name", "idp_type", "provider_name",
            "token_type", "identity_namespace");

    private static final String USER = "cdi_test";
    private static final String SUPERUSER = "postgres";
    private static final String HOST = "127.0.0.1";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final String PG_HBA = String.join("\n",
            "# Superuser without a password for test set-up; everyone else with md5, which the Redshift driver can do.",
            "local all " + SUPERUSER + " trust",
            "host  all " + SUPERUSER + " 127.0.0.1/32 trust",
            "host  all " + SUPERUSER + " ::1/128 trust",
            "host  all all 127.0.0.1/32 md5",
            "host  all all ::1/128 md5",
            "");

    private final EmbeddedPostgres postgres;
    private final RedshiftStartupProxy proxy;
    private final DataSource admin;
    private final String password;

    private TestingRedshiftServer(EmbeddedPostgres postgres, RedshiftStartupProxy proxy, String password) {
        this.postgres = postgres;
        this.proxy = proxy;
        this.admin = postgres.getDatabase(SUPERUSER, DATABASE);
        this.password = password;
    }

    /**
     * Starts PostgreSQL and the proxy, creates database {@value #DATABASE} and the test user.
     *
     * @return the running server, which the caller closes
     * @throws UncheckedIOException when PostgreSQL cannot start
     */
    public static TestingRedshiftServer start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("password_encryption", "md5")
                    .setServerConfig("md5_password_warnings", "off")
                    .setServerConfig("timezone", SESSION_TIME_ZONE)
                    .setServerConfig("listen_addresses", HOST)
                    .setDataDirectoryCustomizer(directory -> {
                        try {
                            Files.writeString(directory.toPath().resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException("Cannot write pg_hba.conf", e);
                        }
                    })
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
        }
        RedshiftStartupProxy proxy = null;
        try {
            String password = "pw-" + HexFormat.of().formatHex(randomBytes());
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
                statement.execute("CREATE USER " + USER + " PASSWORD '" + password + "'");
                statement.execute("ALTER ROLE " + USER + " SET timezone = '" + SESSION_TIME_ZONE + "'");
            }
            try (Connection connection = postgres.getDatabase(SUPERUSER, DATABASE).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + SUPERUSER + " GRANT USAGE ON SCHEMAS TO " + USER);
                statement.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + SUPERUSER + " GRANT SELECT ON TABLES TO " + USER);
            }
            proxy = new RedshiftStartupProxy(new InetSocketAddress(HOST, postgres.getPort()), REDSHIFT_ONLY_PARAMETERS);
            return new TestingRedshiftServer(postgres, proxy, password);
        } catch (SQLException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            try {
                postgres.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new IllegalStateException("Setting up the embedded PostgreSQL failed", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * The host clients connect to.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return HOST;
    }

    /**
     * The proxy's port, where the Redshift driver connects.
     *
     * @return the port
     */
    public int port() {
        return proxy.port();
    }

    /**
     * PostgreSQL's own port, without the proxy, for the PostgreSQL driver.
     *
     * @return the port
     */
    public int postgresPort() {
        return postgres.getPort();
    }

    /**
     * The database tests use.
     *
     * @return {@value #DATABASE}
     */
    public String database() {
        return DATABASE;
    }

    /**
     * The test user: not a superuser, may read what the set-up creates.
     *
     * @return the user name
     */
    public String user() {
        return USER;
    }

    /**
     * The test user's password, random per server.
     *
     * @return the password
     */
    public String password() {
        return password;
    }

    /**
     * A JDBC URL for the Redshift driver, through the proxy, with TLS off (this server has none).
     *
     * @return {@code jdbc:redshift://127.0.0.1:<port>/dev?ssl=false}
     */
    public String jdbcUrl() {
        return "jdbc:redshift://" + HOST + ":" + port() + "/" + DATABASE + "?ssl=false";
    }

    /**
     * How many client connections the proxy has accepted, TLS refusals included.
     *
     * @return the count
     */
    public long proxiedConnections() {
        return proxy.connections();
    }

    /**
     * The start-up parameters the proxy has removed so far.
     *
     * @return their names, sorted
     */
    public Set<String> removedStartupParameters() {
        return proxy.removedParameters();
    }

    /**
     * A new superuser connection to database {@value #DATABASE} through the PostgreSQL driver, straight to the
     * server, for test set-up. Objects it creates can be read by {@link #user()}.
     *
     * @return the connection, which the caller closes
     * @throws SQLException when connecting fails
     */
    public Connection adminConnection() throws SQLException {
        return admin.getConnection();
    }

    /**
     * Runs statements as the superuser in database {@value #DATABASE}, each in its own transaction.
     *
     * @param statements the SQL statements
     * @throws IllegalStateException wrapping the {@link SQLException} of the first statement that fails
     */
    public void execute(String... statements) {
        requireNonNull(statements, "statements is null");
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(requireNonNull(sql, "sql is null"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a user with an md5 password that can connect to database {@value #DATABASE} but holds no privilege
     * on any schema or table.
     *
     * @param name the user name, matching {@code [a-z_][a-z0-9_]*}
     * @param password the password, without single quotes
     */
    public void createUser(String name, String password) {
        requireNonNull(name, "name is null");
        requireNonNull(password, "password is null");
        if (!ROLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name must match " + ROLE_NAME + ": " + name);
        }
        if (password.indexOf('\'') >= 0 || password.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("password must not contain a quote or a backslash");
        }
        execute("CREATE USER " + name + " PASSWORD '" + password + "'",
                "ALTER ROLE " + name + " SET timezone = '" + SESSION_TIME_ZONE + "'");
    }

    /** Stops the proxy and PostgreSQL and deletes the data directory. */
    @Override
    public void close() {
        proxy.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Stopping the embedded PostgreSQL failed", e);
        }
    }

    @Override
    public String toString() {
        return "TestingRedshiftServer[" + HOST + ":" + port() + "/" + DATABASE + ", postgres port " + postgresPort() + "]";
    }
}
