package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A {@link JdbcPool} built on the first request for a connection, not when the connector opens, so that opening a
 * connector checks its settings without connecting. After {@link #close()} it hands out no connection.
 *
 * <p>Thread-safe.
 */
public final class LazyPool implements ConnectionSource {

    /** Builds the pool; may connect, to check a login before the pool is used. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Builds the pool.
         *
         * @return the pool
         * @throws SQLException when it cannot be built
         */
        JdbcPool create() throws SQLException;
    }

    private final String connectorName;
    private final Factory factory;

    // Guarded by this; null until the first connection is requested and after close.
    private JdbcPool pool;
    private boolean closed;

    /**
     * Creates the source; nothing is built yet.
     *
     * @param connectorName the connector's name, for the error after close
     * @param factory builds the pool on first use
     */
    public LazyPool(String connectorName, Factory factory) {
        this.connectorName = requireNonNull(connectorName, "connectorName is null");
        this.factory = requireNonNull(factory, "factory is null");
    }

    /**
     * The pool, built now if it was not.
     *
     * @return the pool
     * @throws SQLException with SQLState 08003 after close, or the factory's error
     */
    public synchronized JdbcPool pool() throws SQLException {
        if (closed) {
            throw new SQLException("The " + connectorName + " connector is closed", "08003");
        }
        if (pool == null) {
            pool = factory.create();
        }
        return pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            try {
                pool.close();
            } finally {
                pool = null;
            }
        }
    }
}
