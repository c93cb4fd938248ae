package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.internal.BoundQuery;
import dev.cdi.jdbc.internal.JdbcRowStream;
import dev.cdi.jdbc.internal.QueryBuilder;
import dev.cdi.jdbc.internal.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SourceConnector} over JDBC: a warehouse's connector is this class with the warehouse's
 * {@link JdbcDialect} and a {@link ConnectionSource} (usually a {@link JdbcPool}).
 *
 * <ul>
 *   <li>{@link #describe} runs a zero-row query over the table and maps the result's column names onto
 *       {@link Column}s case-insensitively, keeping each source type name and checking it with
 *       {@link JdbcDialect#checkColumnType}.</li>
 *   <li>{@link #count} and {@link #read} filter on {@code UPDATED_AT} with bound parameters; {@link #read}
 *       streams: a forward-only, read-only result with the dialect's fetch size, on a connection held until the
 *       stream is closed or exhausted, so memory does not depend on the table's size.</li>
 *   <li>Columns are referred to by the exact names {@link #describe} found (quoted), so a case-sensitive
 *       warehouse finds {@code "updated_at"} as well as {@code "UPDATED_AT"}.</li>
 *   <li>Every {@link SQLException} becomes a {@link CdiException} through {@link JdbcErrors}, with the table
 *       in the message and the driver's exception as the cause.</li>
 * </ul>
 *
 * <p>Thread-safe: runs may use one connector concurrently, each operation on its own connection.
 * {@link #close()} closes the connection source once; it must not be called while a stream is open.
 */
public final class JdbcSourceConnector implements SourceConnector {

    private final JdbcDialect dialect;
    private final ConnectionSource connections;
    private final QueryBuilder queries;
    private final Map<TableName, Map<Column, String>> columnNames = new ConcurrentHashMap<>();

    /**
     * Creates a connector. Nothing is connected until the first call.
     *
     * @param dialect the warehouse's dialect
     * @param connections where connections come from; closed by {@link #close()}
     */
    public JdbcSourceConnector(JdbcDialect dialect, ConnectionSource connections) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.queries = new QueryBuilder(dialect);
    }

    @Override
    public Instant currentTime() {
        String context = "Reading the warehouse's current time";
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(dialect.currentTimeQuery());
                ResultSet resultSet = statement.executeQuery()) {
            if (!resultSet.next()) {
                throw new CdiException(ErrorCode.QUERY_FAILED, context + " (" + dialect.name() + "): no row returned");
            }
            return dialect.readCurrentTime(resultSet);
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, context);
        }
    }

    @Override
    public TableSchema describe(TableName table) {
        requireNonNull(table, "table is null");
        Map<Column, String> types = new EnumMap<>(Column.class);
        Map<Column, String> names = new EnumMap<>(Column.class);
        String sql = queries.describe(table);
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet resultSet = statement.executeQuery()) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                String name = metaData.getColumnName(i);
                Optional<Column> column = Column.fromSourceName(name);
                if (column.isEmpty()) {
                    continue;
                }
                String previous = names.putIfAbsent(column.get(), name);
                if (previous != null) {
                    throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Table " + table + " has two columns that"
                            + " stand for " + column.get() + " (names are matched ignoring case): " + previous
                            + " and " + name);
                }
                types.put(column.get(), dialect.columnTypeName(metaData, i));
            }
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, "Describing table " + table);
        }
        types.forEach((column, type) -> dialect.checkColumnType(table, column, type));
        columnNames.put(table, Map.copyOf(names));
        return new TableSchema(types);
    }

    @Override
    public long count(TableName table, TableSchema schema, RowFilter filter) {
        return counts(table, queries.count(sourceTable(table, schema), filter), 1).get(0);
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters) {
        requireNonNull(filters, "filters is null");
        if (filters.isEmpty()) {
            return List.of();
        }
        return counts(table, queries.countEach(sourceTable(table, schema), filters), filters.size());
    }

    private List<Long> counts(TableName table, BoundQuery query, int columns) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(query.sql())) {
            query.bind(statement);
            try (ResultSet resultSet = statement.executeQuery()) {
                if (!resultSet.next()) {
                    throw new CdiException(ErrorCode.QUERY_FAILED,
                            "Counting rows of table " + table + " (" + dialect.name() + "): no row returned");
                }
                List<Long> counts = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    // SUM over no rows is NULL, which getLong reads as 0.
                    counts.add(resultSet.getLong(i));
                }
                return List.copyOf(counts);
            }
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, "Counting rows of table " + table);
        }
    }

    @Override
    public RowStream read(ReadRequest request) {
        requireNonNull(request, "request is null");
        SourceTable table = sourceTable(request.table(), request.schema());
        BoundQuery query = queries.select(table, request.filter(), request.limit());
        String context = "Reading table " + request.table();
        Connection connection = connect();
        PreparedStatement statement = null;
        try {
            dialect.prepareForStreaming(connection);
            statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(dialect.fetchSize());
            query.bind(statement);
            ResultSet resultSet = statement.executeQuery();
            return new JdbcRowStream(dialect, context, connection, statement, resultSet, table);
        } catch (SQLException e) {
            closeQuietly(statement, e);
            closeQuietly(connection, e);
            throw JdbcErrors.toCdiException(e, dialect, context);
        } catch (RuntimeException e) {
            closeQuietly(statement, e);
            closeQuietly(connection, e);
            throw e;
        }
    }

    /**
     * False once the connection source is closed (a closed pool cannot be reopened). A pool whose warehouse is
     * unreachable is still healthy here: its failures are reported by the queries, classified by {@link JdbcErrors}.
     *
     * @return whether the connection source is open
     */
    @Override
    public boolean isHealthy() {
        return !connections.isClosed();
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcSourceConnector[" + dialect.name() + ", " + connections + "]";
    }

    private Connection connect() {
        try {
            return connections.getConnection();
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, "Connecting to the warehouse");
        }
    }

    /**
     * The table with the source names of its columns: from the last {@link #describe} of it, or from a new one
     * when the caller's schema has a column that describe did not report.
     */
    private SourceTable sourceTable(TableName table, TableSchema schema) {
        requireNonNull(table, "table is null");
        requireNonNull(schema, "schema is null");
        Map<Column, String> names = columnNames.get(table);
        if (names == null || !names.keySet().containsAll(schema.columnTypes().keySet())) {
            describe(table);
            names = columnNames.get(table);
        }
        for (Column column : schema.columnTypes().keySet()) {
            if (!names.containsKey(column)) {
                throw new CdiException(ErrorCode.MISSING_COLUMN, "Table " + table + " has no " + column + " column");
            }
        }
        return new SourceTable(table, schema, names);
    }

    private static void closeQuietly(AutoCloseable resource, Exception failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
