package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.jdbc.JdbcErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
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
    private final String[] types;

    private boolean rowReady;
    private boolean exhausted;
    /** Volatile for {@link #cancel()}, which another thread calls. */
    private volatile boolean closed;

    /**
     * Wraps an executed query. The stream owns the three resources from now on.
     *
     * @param dialect the dialect whose read hooks read each column
     * @param context what is being read, for error messages, such as {@code Reading table main.users}
     * @param connection the connection the query runs on
     * @param statement the statement
     * @param resultSet its result, whose columns are {@code table}'s columns in {@link SourceTable#columns()} order
     * @param table the table
     */
    public JdbcRowStream(JdbcDialect dialect, String context, Connection connection, Statement statement,
            ResultSet resultSet, SourceTable table) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.context = requireNonNull(context, "context is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.statement = requireNonNull(statement, "statement is null");
        this.resultSet = requireNonNull(resultSet, "resultSet is null");
        this.columns = table.columns().toArray(new Column[0]);
        this.types = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            types[i] = table.schema().typeOf(columns[i]).orElseThrow();
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
            int index = i + 1;
            Column column = columns[i];
            if (column == Column.UPDATED_AT) {
                Optional<Instant> updatedAt = dialect.readUpdatedAt(resultSet, index, types[i]);
                if (updatedAt.isPresent()) {
                    row.updatedAt(updatedAt.get());
                }
                continue;
            }
            Optional<String> value = switch (column) {
                case PAYLOAD -> dialect.readPayload(resultSet, index, types[i]);
                case DELETED -> dialect.readDeleted(resultSet, index, types[i]);
                case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID ->
                        dialect.readText(resultSet, index, types[i]);
                case UPDATED_AT -> throw new IllegalStateException("UPDATED_AT is read above");
            };
            row.value(column, value.orElse(null));
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
