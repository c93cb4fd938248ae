package dev.cdi.duckdb;

import static java.util.Objects.requireNonNull;

import dev.cdi.jdbc.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * Duplicates of a caller's connection: each sees the same database (an in-memory one included) and is closed
 * after its operation; the caller's connection is never closed here. Thread-safe.
 */
final class DuckDbSharedConnections implements ConnectionSource {

    private final DuckDBConnection connection;

    DuckDbSharedConnections(DuckDBConnection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection.duplicate();
    }

    @Override
    public String toString() {
        return "DuckDbSharedConnections[" + connection.getClass().getSimpleName() + "]";
    }
}
