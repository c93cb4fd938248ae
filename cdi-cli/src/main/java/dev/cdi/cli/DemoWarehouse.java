package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The demo's sample warehouse: a DuckDB file with an attributes, an events and a purchases table in the SPEC
 * section 3.1 layouts. Each method opens the file and closes it before it returns, because DuckDB lets only one
 * process at a time hold a file open for writing and the sync that follows opens it again.
 *
 * <p>Not thread-safe.
 */
final class DemoWarehouse {
    /** The attributes table, as the configuration file names it. */
    static final String ATTRIBUTES_TABLE = "main.user_attributes";
    /** The events table. */
    static final String EVENTS_TABLE = "main.user_events";
    /** The purchases table. */
    static final String PURCHASES_TABLE = "main.user_purchases";

    private final Path file;

    /**
     * A warehouse in a file, which need not exist yet.
     *
     * @param file the DuckDB file
     */
    DemoWarehouse(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    /**
     * Creates each sample table that does not exist yet, filled with its sample rows.
     *
     * @return how many rows were inserted; 0 when every table existed
     */
    int createMissingTables() {
        try (Connection connection = open()) {
            int inserted = 0;
            inserted += createIfMissing(connection, ATTRIBUTES_TABLE, true, DemoData.attributes());
            inserted += createIfMissing(connection, EVENTS_TABLE, false, DemoData.events());
            inserted += createIfMissing(connection, PURCHASES_TABLE, false, DemoData.purchases());
            return inserted;
        } catch (SQLException e) {
            throw failure("cannot create the sample tables", e);
        }
    }

    /**
     * Inserts new and changed custom attributes stamped with the current time (see
     * {@link DemoData#changes(int, int, List, Instant)}).
     *
     * @param count how many rows
     * @param now the current time
     */
    void addAttributeChanges(int count, Instant now) {
        try (Connection connection = open()) {
            List<String> users = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT DISTINCT EXTERNAL_ID FROM " + ATTRIBUTES_TABLE
                            + " WHERE regexp_full_match(EXTERNAL_ID, 'u[0-9]+') ORDER BY 1")) {
                while (result.next()) {
                    users.add(result.getString(1));
                }
            }
            int nextUser = users.stream().mapToInt(id -> Integer.parseInt(id.substring(1))).max().orElse(0) + 1;
            insert(connection, ATTRIBUTES_TABLE, true, DemoData.changes(count, nextUser, users, now));
        } catch (SQLException e) {
            throw failure("cannot add rows to " + ATTRIBUTES_TABLE, e);
        }
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    }

    private static int createIfMissing(Connection connection, String table, boolean contactColumns,
            List<DemoData.Row> rows) throws SQLException {
        String[] parts = table.split("\\.");
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            exists.setString(1, parts[0]);
            exists.setString(2, parts[1]);
            try (ResultSet result = exists.executeQuery()) {
                result.next();
                if (result.getLong(1) > 0) {
                    return 0;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, "
                    + (contactColumns ? "EMAIL VARCHAR, PHONE VARCHAR, " : "") + "PAYLOAD VARCHAR)");
        }
        insert(connection, table, contactColumns, rows);
        return rows.size();
    }

    private static void insert(Connection connection, String table, boolean contactColumns, List<DemoData.Row> rows)
            throws SQLException {
        String[] parts = table.split("\\.");
        // DuckDB's appender, not batched INSERTs: these take about a millisecond a row, so --add 100000 would take
        // minutes instead of a second.
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender(parts[0], parts[1])) {
            for (DemoData.Row row : rows) {
                appender.beginRow();
                // UPDATED_AT is a TIMESTAMP holding UTC wall-clock time: epoch microseconds keep time zones out.
                appender.appendEpochMicros(ChronoUnit.MICROS.between(Instant.EPOCH, row.updatedAt()));
                appendText(appender, row.externalId());
                if (contactColumns) {
                    appendText(appender, row.email());
                    appendText(appender, row.phone());
                }
                appendText(appender, row.payload());
                appender.endRow();
            }
        }
    }

    private static void appendText(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private CdiException failure(String what, SQLException e) {
        return new CdiException(ErrorCode.QUERY_FAILED, "Demo warehouse " + file + ": " + what + ": " + e.getMessage(), e);
    }
}
