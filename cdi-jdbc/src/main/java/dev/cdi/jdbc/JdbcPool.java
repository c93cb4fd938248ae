package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.jdbc.internal.DriverDataSource;
import dev.cdi.jdbc.internal.Redaction;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HikariCP pool of connections to one warehouse, built from a JDBC URL and driver properties.
 *
 * <p>Defaults suit a sync library: at most 4 connections, none kept idle (a warehouse may bill or time out
 * idle sessions), a 30 second connection timeout, no connection attempted until the first one is needed (so a
 * bad configuration is reported by the first query, classified by {@link JdbcErrors}). The first connection is
 * made once, directly: a refused login (a wrong password) fails at once instead of being retried by the pool
 * until its timeout. The pool is named
 * {@code cdi-<connector>-<n>}. Secrets (the password and any property marked secret or whose name looks
 * secret) never appear in {@link #toString()}, in log lines, or in the pool's printed configuration; URLs are
 * shown with secret-looking parameters masked.
 *
 * <p>Thread-safe. {@link #close()} may be called more than once.
 */
public final class JdbcPool implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPool.class);
    private static final Pattern CONNECTOR_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final HikariDataSource dataSource;
    private final DataSource direct;
    private final String description;
    private volatile boolean connectedOnce;

    private JdbcPool(HikariDataSource dataSource, DataSource direct, String description) {
        this.dataSource = dataSource;
        this.direct = direct;
        this.description = description;
    }

    /**
     * Starts building a pool.
     *
     * @param connectorName the connector's name, matching {@code [a-z][a-z0-9_]*}; part of the pool's name
     * @param jdbcUrl the JDBC URL
     * @return a builder with the defaults
     */
    public static Builder builder(String connectorName, String jdbcUrl) {
        return new Builder(connectorName, jdbcUrl);
    }

    /**
     * Borrows a connection; closing it returns it to the pool.
     *
     * @return an open connection
     * @throws SQLException when none can be had within the connection timeout
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (!connectedOnce) {
            probe();
        }
        return dataSource.getConnection();
    }

    /**
     * Connects once, directly, before the pool does: the pool retries a failed connection until its timeout, and a
     * wrong password retried for 30 s is a dozen failed logins (an account lockout on a real warehouse). So the
     * first failure is reported at once; only a pool that has connected before retries.
     */
    private synchronized void probe() throws SQLException {
        if (connectedOnce) {
            return;
        }
        direct.getConnection().close();
        connectedOnce = true;
    }

    /**
     * The pool's name, {@code cdi-<connector>-<n>}, which prefixes HikariCP's log lines.
     *
     * @return the name
     */
    public String poolName() {
        return dataSource.getPoolName();
    }

    /**
     * Whether the pool was closed.
     *
     * @return true after {@link #close()}
     */
    @Override
    public boolean isClosed() {
        return dataSource.isClosed();
    }

    /** Closes the pool and every connection in it. */
    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * The pool's name and redacted URL.
     *
     * @return a description without secrets
     */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Builds a {@link JdbcPool}. Not thread-safe.
     */
    public static final class Builder {
        private final String connectorName;
        private final String jdbcUrl;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Set<String> secretKeys = new HashSet<>();
        private Optional<Driver> driver = Optional.empty();
        private int maximumPoolSize = 4;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private boolean readOnly;
        private Optional<String> connectionInitSql = Optional.empty();

        private Builder(String connectorName, String jdbcUrl) {
            this.connectorName = requireNonNull(connectorName, "connectorName is null");
            this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
        }

        /**
         * Uses this driver instead of looking one up by URL in {@link DriverManager}.
         *
         * @param driver the driver
         * @return this builder
         */
        public Builder driver(Driver driver) {
            this.driver = Optional.of(requireNonNull(driver, "driver is null"));
            return this;
        }

        /**
         * Sets the user, as the driver property {@code user}.
         *
         * @param user the user name
         * @return this builder
         */
        public Builder user(String user) {
            return property("user", user);
        }

        /**
         * Sets the password, as the secret driver property {@code password}.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            return secretProperty("password", password);
        }

        /**
         * Sets a driver property.
         *
         * @param key the property name
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /**
         * Sets a driver property whose value is secret, such as a token or a key's passphrase.
         *
         * @param key the property name
         * @param value its value
         * @return this builder
         */
        public Builder secretProperty(String key, String value) {
            property(key, value);
            secretKeys.add(key);
            return this;
        }

        /**
         * Sets the most connections open at once (default 4).
         *
         * @param maximumPoolSize 1 to 64
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * Sets how long a caller waits for a connection before failing (default 30 s).
         *
         * @param connectionTimeout at least 250 ms
         * @return this builder
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout is null");
            return this;
        }

        /**
         * Sets how long an unused connection stays open (default 5 minutes).
         *
         * @param idleTimeout at least 10 s
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
            return this;
        }

        /**
         * Sets how long a connection lives at most (default 30 minutes).
         *
         * @param maxLifetime at least 30 s
         * @return this builder
         */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = requireNonNull(maxLifetime, "maxLifetime is null");
            return this;
        }

        /**
         * Marks connections read-only through {@link Connection#setReadOnly} (default false, since several
         * warehouse drivers reject it).
         *
         * @param readOnly whether to mark them
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Sets SQL run once on every new connection, such as a session time zone.
         *
         * @param sql the statement
         * @return this builder
         */
        public Builder connectionInitSql(String sql) {
            this.connectionInitSql = Optional.of(requireNonNull(sql, "sql is null"));
            return this;
        }

        /**
         * Validates the settings and creates the pool, without connecting.
         *
         * @return the pool
         * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the invalid setting, or when no
         *         registered driver accepts the URL
         */
        public JdbcPool build() {
            if (!CONNECTOR_NAME.matcher(connectorName).matches()) {
                throw invalid("connector name '" + connectorName + "' must match [a-z][a-z0-9_]*");
            }
            if (maximumPoolSize < 1 || maximumPoolSize > 64) {
                throw invalid("maximumPoolSize must be 1 to 64, was " + maximumPoolSize);
            }
            requireAtLeast("connectionTimeout", connectionTimeout, Duration.ofMillis(250));
            requireAtLeast("idleTimeout", idleTimeout, Duration.ofSeconds(10));
            requireAtLeast("maxLifetime", maxLifetime, Duration.ofSeconds(30));
            String redactedUrl = Redaction.redactUrl(jdbcUrl);
            Driver resolved = driver.orElseGet(() -> {
                try {
                    return DriverManager.getDriver(jdbcUrl);
                } catch (SQLException e) {
                    throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                            "No JDBC driver on the class path accepts the URL " + redactedUrl, e);
                }
            });
            String poolName = "cdi-" + connectorName + "-" + SEQUENCE.incrementAndGet();

            HikariConfig config = new HikariConfig();
            config.setPoolName(poolName);
            DriverDataSource direct = new DriverDataSource(resolved, jdbcUrl, properties, secretKeys);
            config.setDataSource(direct);
            config.setMaximumPoolSize(maximumPoolSize);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setIdleTimeout(idleTimeout.toMillis());
            config.setMaxLifetime(maxLifetime.toMillis());
            config.setReadOnly(readOnly);
            config.setAutoCommit(true);
            // Do not connect while building: settings are checked first, connectivity by the first query.
            config.setInitializationFailTimeout(-1);
            connectionInitSql.ifPresent(config::setConnectionInitSql);

            String description = "JdbcPool[" + poolName + ", " + redactedUrl + "]";
            LOG.debug("{}: created for {} with at most {} connections", poolName, redactedUrl, maximumPoolSize);
            return new JdbcPool(new HikariDataSource(config), direct, description);
        }

        private static void requireAtLeast(String name, Duration value, Duration minimum) {
            if (value.compareTo(minimum) < 0) {
                throw invalid(name + " must be at least " + minimum + ", was " + value);
            }
        }

        private static CdiException invalid(String message) {
            return new CdiException(ErrorCode.INVALID_CONFIGURATION, "JDBC pool: " + message);
        }
    }
}
