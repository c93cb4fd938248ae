package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source over one JDBC driver, URL and set of properties. The pool is given this instead of a URL and
 * properties so that the secrets among them stay here: the pool prints its configuration, and this class's
 * {@link #toString()} masks them. Thread-safe.
 */
public final class DriverDataSource implements DataSource {

    private final Driver driver;
    private final String url;
    private final Map<String, String> properties;
    private final String description;
    private volatile int loginTimeoutSeconds;

    /**
     * Creates the data source.
     *
     * @param driver the driver
     * @param url the JDBC URL
     * @param properties the driver properties, secrets included
     * @param secretKeys the keys whose values are secret
     */
    public DriverDataSource(Driver driver, String url, Map<String, String> properties, Set<String> secretKeys) {
        this.driver = requireNonNull(driver, "driver is null");
        this.url = requireNonNull(url, "url is null");
        this.properties = Map.copyOf(requireNonNull(properties, "properties is null"));
        this.description = "DriverDataSource[" + Redaction.redactUrl(url) + ", properties="
                + Redaction.redactProperties(this.properties, Set.copyOf(secretKeys)) + "]";
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties connectionProperties = new Properties();
        connectionProperties.putAll(properties);
        Connection connection = driver.connect(url, connectionProperties);
        if (connection == null) {
            throw new SQLException("The JDBC driver " + driver.getClass().getName() + " does not accept the URL "
                    + Redaction.redactUrl(url), "08001");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set as driver properties");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Drivers log through their own loggers.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return description;
    }
}
