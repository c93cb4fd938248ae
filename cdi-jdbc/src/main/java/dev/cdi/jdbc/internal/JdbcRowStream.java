package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.jdbc.JdbcErrors;
import dev.cdi.sql.MappedColumn;
import dev.cdi.sql.SqlTable;
import dev.cdi.sql.ValueForm;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of an open forward-only result set. Holds its connection until closed, or until the last row has been
 * read, whichever comes first. Not thread-safe: one consumer, except {@link #cancel()}, which any thread may call.
 */
public final class JdbcRowStream implements RowStream {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcRowStream.class);

    private final JdbcDialect dialect;
    private final String context;
    private final Connection connection;
    private final Statement statement;
    private final ResultSet resultSet;
    private final Column[] columns;
    private final ValueForm[] forms;

    private boolean rowReady;
    private boolean exhausted;
    /** Volatile for {@link #cancel()}, which another thread calls. */
    private volatile boolean closed;

    /**
     * Wraps an executed query. The stream owns the three resources from now on.
     *
     * @param dialect the dialect, which classifies errors
     * @param context what is being read, for error messages, such as {@code Reading table main.users}
     * @param connection the connection the query runs on
     * @param statement the statement
     * @param resultSet its result, whose columns are {@code table}'s columns in {@link SqlTable#columns()} order
     * @param table the table, whose mappings say how each column is read
     */
    public JdbcRowStream(JdbcDialect dialect, String context, Connection connection, Statement statement,
            ResultSet resultSet, SqlTable table) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.context = requireNonNull(context, "context is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.statement = requireNonNull(statement, "statement is null");
        this.resultSet = requireNonNull(resultSet, "resultSet is null");
        List<MappedColumn> mapped = table.columns();
        this.columns = new Column[mapped.size()];
        this.forms = new ValueForm[mapped.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = mapped.get(i).column();
            forms[i] = mapped.get(i).mapping().readAs();
        }
    }

    @Override
    public boolean hasNext() {
        if (rowReady) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            rowReady = resultSet.next();
        } catch (SQLException e) {
            throw fail(e);
        }
        if (!rowReady) {
            exhausted = true;
            close();
        }
        return rowReady;
    }

    @Override
    public SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        rowReady = false;
        try {
            return readRow();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private SourceRow readRow() throws SQLException {
        SourceRow.Builder row = SourceRow.builder();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == Column.UPDATED_AT) {
                Instant updatedAt = JdbcValues.readInstant(resultSet, i + 1, forms[i]);
                if (updatedAt != null) {
                    row.updatedAt(updatedAt);
                }
            } else {
                row.value(columns[i], JdbcValues.readText(resultSet, i + 1, forms[i]));
            }
        }
        return row.build();
    }

    /**
     * Cancels the running query ({@link Statement#cancel()}), so that a read blocked in the driver fails promptly
     * with the driver's cancellation error. May be called from any thread; does nothing once the stream is closed.
     */
    @Override
    public void cancel() {
        if (!closed) {
            cancelStatement();
        }
    }

    private void cancelStatement() {
        try {
            statement.cancel();
        } catch (SQLException e) {
            LOG.debug("{}: cancelling the unfinished query failed", context, e);
        }
    }

    private CdiException fail(SQLException e) {
        close();
        return JdbcErrors.toCdiException(e, dialect, context);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rowReady = false;
        if (!exhausted) {
            // Some drivers (Redshift's, with its read-ahead buffer) read the whole rest of the result on close;
            // cancelling first makes an early close cheap.
            cancelStatement();
        }
        try {
            resultSet.close();
        } catch (SQLException e) {
            LOG.debug("{}: closing the result set failed", context, e);
        }
        try {
            statement.close();
        } catch (SQLException e) {
            LOG.debug("{}: closing the statement failed", context, e);
        }
        try {
            if (!connection.getAutoCommit()) {
                // Only a read ran in this transaction (opened for cursor paging): end it before the connection
                // goes back to its pool.
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("{}: ending the read transaction failed", context, e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("{}: closing the connection failed", context, e);
        }
    }
}
