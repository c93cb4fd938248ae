package dev.cdi.duckdb;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.jdbc.ConnectionSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.duckdb.DuckDBDriver;

/**
 * Connections to a DuckDB database file: the first use opens the database, and every operation gets a duplicate
 * of that connection (cheap, where opening the file costs tens of milliseconds each time); no pool is needed.
 *
 * <p>The database instance (and its file lock, which keeps other processes from writing the file) lives until
 * {@link #close()}, that is for as long as the engine keeps the connector open across runs (until it has been idle
 * for the engine's connector idle timeout, or the engine closes). The driver refuses a connection whose configuration differs from that of connections already
 * open on the file (read-only against read-write): the error says how to resolve it.
 *
 * <p>Thread-safe.
 */
final class DuckDbFileConnections implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbFileConnections.class);

    private final DuckDbConfig config;
    private final String url;
    private final Driver driver = new DuckDBDriver();
    private DuckDBConnection database;

    DuckDbFileConnections(DuckDbConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.url = "jdbc:duckdb:" + config.path();
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        if (database == null || database.isClosed()) {
            database = open().unwrap(DuckDBConnection.class);
        }
        return database.duplicate();
    }

    @Override
    public synchronized void close() {
        if (database != null) {
            try {
                database.close();
            } catch (SQLException e) {
                LOG.debug("Closing DuckDB database {} failed", config.path(), e);
            }
            database = null;
        }
    }

    private Connection open() throws SQLException {
        // Checked at every opening, not only at open(): with readOnly=false DuckDB would create an empty file.
        checkFile(config.path());
        Properties properties = new Properties();
        if (config.readOnly()) {
            properties.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, "true");
        }
        try {
            return driver.connect(url, properties);
        } catch (SQLException e) {
            String message = e.getMessage();
            if (message != null && message.contains("different configuration")) {
                throw new SQLException("DuckDB database file " + config.path() + " is already open in this JVM with"
                        + " other settings (readOnly=" + config.readOnly() + " here); close those connections, or set"
                        + " the connection setting 'readOnly' to match them", e.getSQLState(), e);
            }
            throw e;
        }
    }

    /**
     * Checks that the database file exists and can be read, so that a wrong path gets a clear message and never
     * an empty new database.
     *
     * @param path the file
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when it is missing or a directory,
     *         {@link ErrorCode#PERMISSION_DENIED} when it cannot be read
     */
    static void checkFile(Path path) {
        String described = "DuckDB database file " + path + " (connection setting 'path'"
                + (path.isAbsolute() ? "" : ", resolved to " + path.toAbsolutePath()) + ")";
        if (Files.isDirectory(path)) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, described + " is a directory, not a file");
        }
        if (!Files.exists(path)) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, described + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new CdiException(ErrorCode.PERMISSION_DENIED, described + " cannot be read");
        }
    }

    @Override
    public String toString() {
        return "DuckDbFileConnections[" + config.path() + ", readOnly=" + config.readOnly() + "]";
    }
}
