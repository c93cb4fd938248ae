package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.internal.JdbcRowStream;
import dev.cdi.jdbc.internal.JdbcValues;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceColumn;
import dev.cdi.sql.SqlQuery;
import dev.cdi.sql.SqlQueryBuilder;
import dev.cdi.sql.SqlTable;
import dev.cdi.sql.ValueForm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SourceConnector} over JDBC: a warehouse's connector is this class with the warehouse's
 * {@link JdbcDialect} and a {@link ConnectionSource} (usually a {@link JdbcPool}). It is the JDBC binding of the
 * shared SQL layer: {@link SqlTable} matches and maps the columns, {@link SqlQueryBuilder} builds every query with
 * typed parameters, and this class prepares, binds, streams and maps {@link SQLException}s.
 *
 * <ul>
 *   <li>{@link #describe} runs a zero-row query over the table and hands the result's column names and types to
 *       {@link SqlTable#describe}, which maps each recognised column once (an unsupported type is refused there); the
 *       {@link TableSchema} it returns carries the source names and types back to {@link #count} and
 *       {@link #read}.</li>
 *   <li>{@link #read} streams: a forward-only, read-only result with the dialect's fetch size, on a connection held
 *       until the stream is closed or exhausted, so memory does not depend on the table's size.</li>
 *   <li>With a {@link RunContext}, the dialect's {@link JdbcDialect#tagStatements tag statements} run before each
 *       query and each query is {@link JdbcDialect#labelQuery labelled}, so the warehouse's administrator sees which
 *       integration ran it.</li>
 *   <li>Every {@link SQLException} becomes a {@link CdiException} through {@link JdbcErrors}, with the table in the
 *       message and the driver's exception as the cause.</li>
 * </ul>
 *
 * <p>Thread-safe: runs may use one connector concurrently, each operation on its own connection.
 * {@link #close()} closes the connection source once; it must not be called while a stream is open.
 */
public final class JdbcSourceConnector implements SourceConnector {

    private final JdbcDialect dialect;
    private final ConnectionSource connections;
    private final SqlQueryBuilder queries;

    /**
     * Creates a connector. Nothing is connected until the first call.
     *
     * @param dialect the warehouse's dialect
     * @param connections where connections come from; closed by {@link #close()}
     */
    public JdbcSourceConnector(JdbcDialect dialect, ConnectionSource connections) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.queries = new SqlQueryBuilder(dialect);
    }

    @Override
    public Instant currentTime() {
        return currentTime(Optional.empty());
    }

    @Override
    public Instant currentTime(RunContext run) {
        return currentTime(Optional.of(run));
    }

    private Instant currentTime(Optional<RunContext> run) {
        String context = "Reading the warehouse's current time";
        CurrentTimeQuery query = dialect.currentTimeQuery();
        try (Connection connection = connect(run);
                PreparedStatement statement = connection.prepareStatement(labelled(query.sql(), run));
                ResultSet resultSet = statement.executeQuery()) {
            if (!resultSet.next()) {
                throw new CdiException(ErrorCode.QUERY_FAILED, context + " (" + dialect.name() + "): no row returned");
            }
            Instant now = readCurrentTime(resultSet, query);
            if (now == null) {
                throw new CdiException(ErrorCode.QUERY_FAILED, context + " (" + dialect.name() + "): NULL returned");
            }
            return now;
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, context);
        }
    }

    private static Instant readCurrentTime(ResultSet resultSet, CurrentTimeQuery query) throws SQLException {
        if (query.readAs() != ValueForm.TEXT) {
            return JdbcValues.readInstant(resultSet, 1, query.readAs());
        }
        String text = resultSet.getString(1);
        if (text == null) {
            return null;
        }
        try {
            return query.textParser().apply(text);
        } catch (IllegalArgumentException e) {
            throw new SQLException("The current-time query returned '" + text + "': " + e.getMessage(), "22007", e);
        }
    }

    @Override
    public TableSchema describe(TableName table) {
        return describe(table, Optional.empty());
    }

    @Override
    public TableSchema describe(TableName table, RunContext run) {
        return describe(table, Optional.of(run));
    }

    private TableSchema describe(TableName table, Optional<RunContext> run) {
        requireNonNull(table, "table is null");
        List<SourceColumn> columns = new ArrayList<>();
        try (Connection connection = connect(run);
                PreparedStatement statement = connection.prepareStatement(labelled(queries.describe(table), run));
                ResultSet resultSet = statement.executeQuery()) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.add(new SourceColumn(metaData.getColumnName(i), dialect.columnTypeName(metaData, i)));
            }
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, "Describing table " + table);
        }
        return SqlTable.describe(dialect, table, columns).schema();
    }

    @Override
    public long count(TableName table, TableSchema schema, RowFilter filter) {
        return counts(table, queries.count(SqlTable.of(dialect, table, schema), filter), 1, Optional.empty()).get(0);
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters) {
        return countEach(table, schema, filters, Optional.empty());
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters, RunContext run) {
        return countEach(table, schema, filters, Optional.of(run));
    }

    private List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters,
            Optional<RunContext> run) {
        requireNonNull(filters, "filters is null");
        if (filters.isEmpty()) {
            return List.of();
        }
        return counts(table, queries.countEach(SqlTable.of(dialect, table, schema), filters), filters.size(), run);
    }

    private List<Long> counts(TableName table, SqlQuery query, int columns, Optional<RunContext> run) {
        try (Connection connection = connect(run);
                PreparedStatement statement = connection.prepareStatement(labelled(query.sql(), run))) {
            bind(statement, query);
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
        return read(request, Optional.empty());
    }

    @Override
    public RowStream read(ReadRequest request, RunContext run) {
        return read(request, Optional.of(run));
    }

    private RowStream read(ReadRequest request, Optional<RunContext> run) {
        requireNonNull(request, "request is null");
        SqlTable table = SqlTable.of(dialect, request.table(), request.schema());
        SqlQuery query = queries.select(table, request.filter(), request.limit());
        String context = "Reading table " + request.table();
        Connection connection = connect(run);
        PreparedStatement statement = null;
        try {
            dialect.prepareForStreaming(connection);
            statement = connection.prepareStatement(labelled(query.sql(), run), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(dialect.fetchSize());
            bind(statement, query);
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

    private void bind(PreparedStatement statement, SqlQuery query) throws SQLException {
        for (int i = 0; i < query.parameters().size(); i++) {
            dialect.bind(statement, i + 1, query.parameters().get(i));
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

    private String labelled(String sql, Optional<RunContext> run) {
        return run.isPresent() ? dialect.labelQuery(sql, run.get()) : sql;
    }

    /** A pooled connection, with the run's tag statements run on it. */
    private Connection connect(Optional<RunContext> run) {
        Connection connection;
        try {
            connection = connections.getConnection();
        } catch (SQLException e) {
            throw JdbcErrors.toCdiException(e, dialect, "Connecting to the warehouse");
        }
        List<String> tags = run.map(dialect::tagStatements).orElse(List.of());
        if (tags.isEmpty()) {
            return connection;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : tags) {
                statement.execute(sql);
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw JdbcErrors.toCdiException(e, dialect, "Tagging the queries of run " + run.get().runId());
        }
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
