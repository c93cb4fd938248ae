package dev.cdi.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a {@link JdbcSourceConnector} gets its connections: a {@link JdbcPool}, a lambda over a
 * {@link javax.sql.DataSource} ({@code dataSource::getConnection}), or a warehouse-specific source such as one
 * that hands out duplicates of an embedded database's connection.
 *
 * <p>Each connection is used by one thread for one operation (a query, or one streamed read from start to
 * close) and then closed, which returns it to its pool if it came from one. Implementations must be
 * thread-safe. {@link #close()} is called once, when the connector closes.
 */
@FunctionalInterface
public interface ConnectionSource extends AutoCloseable {

    /**
     * A connection for one operation; the caller closes it.
     *
     * @return an open connection
     * @throws SQLException when none can be had; classified by {@link JdbcErrors}
     */
    Connection getConnection() throws SQLException;

    /**
     * Whether {@link #close()} was called, or the source can otherwise hand out no more connections. Does not
     * connect. False by default.
     *
     * @return true when closed
     */
    default boolean isClosed() {
        return false;
    }

    /**
     * Releases what the source holds, such as a pool; connections already handed out are not affected. Does
     * nothing by default, so a source over a connection or data source that the caller owns leaves it open.
     */
    @Override
    default void close() {
    }
}
