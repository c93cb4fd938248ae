package dev.cdi.duckdb;

import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.duckdb.DuckDBConnection;

/** An in-memory DuckDB database for tests, and helpers to fill and read it. */
final class TestingDuckDb implements AutoCloseable {
    final DuckDBConnection connection;

    TestingDuckDb() {
        try {
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String... statements) {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SourceRow> readAll(SourceConnector connector, TableName table, RowFilter filter) {
        return read(connector, table, connector.describe(table), filter, OptionalLong.empty());
    }

    static List<SourceRow> read(SourceConnector connector, TableName table, TableSchema schema, RowFilter filter,
            OptionalLong limit) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema, filter, limit))) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
