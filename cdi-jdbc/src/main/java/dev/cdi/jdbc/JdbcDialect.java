package dev.cdi.jdbc;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import dev.cdi.api.RunContext;
import dev.cdi.sql.SqlDialect;
import dev.cdi.sql.SqlParameter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A warehouse's {@link SqlDialect} with what its JDBC driver needs on top: how a type is named in result metadata,
 * how a typed parameter is bound, how streaming is turned on, how a run's queries are tagged, and which vendor errors
 * mean what. Every hook has a default that suits a well-behaved driver; {@link JdbcSourceConnector} does the rest.
 *
 * <p>Implementations must be immutable and thread-safe. Every hook is called once per query or per described column,
 * never per row.
 */
@Experimental
public interface JdbcDialect extends SqlDialect {

    /**
     * The source type name of a column as the driver describes it; the default is
     * {@link ResultSetMetaData#getColumnTypeName}.
     *
     * @param metaData the metadata of a zero-row query over the table
     * @param column the 1-based column index
     * @return the source type name
     * @throws SQLException when the driver fails
     */
    default String columnTypeName(ResultSetMetaData metaData, int column) throws SQLException {
        return metaData.getColumnTypeName(column);
    }

    /**
     * Binds a typed parameter. The binding must not depend on the JVM's or the session's time zone. The default binds
     * an instant as its {@link SqlParameter.Timestamp#utcText() UTC text}, which the query casts to the column's type.
     *
     * @param statement the statement
     * @param index the 1-based marker index
     * @param parameter the parameter
     * @throws SQLException when the driver fails
     */
    default void bind(PreparedStatement statement, int index, SqlParameter parameter) throws SQLException {
        if (parameter instanceof SqlParameter.Timestamp timestamp) {
            statement.setString(index, timestamp.utcText());
        } else {
            throw new IllegalArgumentException("unknown parameter " + parameter);
        }
    }

    /**
     * How many rows the driver fetches per round trip while streaming. Memory is bounded by this times the largest
     * row (a payload may reach 1 MB). The default is 1,000.
     *
     * @return the fetch size, at least 1
     */
    default int fetchSize() {
        return 1_000;
    }

    /**
     * Prepares a connection for a streaming read, before the query is prepared: for example turns auto-commit off so
     * that a PostgreSQL-protocol driver pages through a cursor, or sets a session option. Auto-commit left off is
     * rolled back (nothing was written) before the connection is returned. The default does nothing.
     *
     * @param connection the connection the read will run on
     * @throws SQLException when the driver fails
     */
    default void prepareForStreaming(Connection connection) throws SQLException {
    }

    /**
     * The statements that tag the queries a run sends next on a connection, such as Snowflake's
     * {@code ALTER SESSION SET QUERY_TAG = '...'}; run on the borrowed connection before each query of a run. Write
     * the {@link RunContext#label() label}, which is safe inside a quoted literal. The default tags nothing.
     *
     * @param run the run
     * @return the statements, in order; empty when the warehouse has no tags
     */
    default List<String> tagStatements(RunContext run) {
        return List.of();
    }

    /**
     * Labels one query of a run, for warehouses that take a label in the statement itself rather than from a session
     * setting: such as T-SQL's {@code OPTION (LABEL = '...')} appended to a {@code SELECT}. Applied to every query a
     * run sends (after {@link #tagStatements}); write the {@link RunContext#label() label}, which is safe inside a
     * quoted literal. The default returns the query unchanged.
     *
     * @param sql a complete query built by the shared SQL layer
     * @param run the run
     * @return the labelled query
     */
    default String labelQuery(String sql, RunContext run) {
        return sql;
    }

    /**
     * Classifies a vendor-specific error that the generic SQLState mapping of {@link JdbcErrors} would get wrong or
     * miss, such as a driver that reports a missing table with no SQLState. Called first, for each
     * {@link SQLException} of the chain.
     *
     * @param exception one exception of the chain
     * @return the code, or empty to fall back to the SQLState mapping
     */
    default Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return Optional.empty();
    }

    /**
     * What the user should do about a vendor error, appended to its message: such as the grant to run when the
     * warehouse refuses a table. Called for each {@link SQLException} of the chain until one gets advice.
     *
     * @param exception one exception of the chain
     * @return one or two sentences, or empty for none
     */
    default Optional<String> advice(SQLException exception) {
        return Optional.empty();
    }
}
