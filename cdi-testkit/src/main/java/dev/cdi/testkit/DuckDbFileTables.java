package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of a DuckDB file attached to a fake's database, which the fakes serve under their warehouse's names and
 * types. Stateless and thread-safe.
 */
final class DuckDbFileTables {

    /** A column of an attached table: its name and DuckDB type as the file has them. */
    record Column(String name, String duckDbType) {
        Column {
            requireNonNull(name, "name is null");
            requireNonNull(duckDbType, "duckDbType is null");
        }
    }

    /** A table of an attached file: its DuckDB schema and name, and its columns in order. */
    record Table(String schema, String name, List<Column> columns) {
        Table {
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
            columns = List.copyOf(columns);
        }

        /**
         * The error for a column whose type the fake cannot serve.
         *
         * @param column the column
         * @return the error, naming the column, its type and this table
         */
        IllegalArgumentException unsupported(Column column) {
            return new IllegalArgumentException("Cannot serve column " + column.name() + " of type "
                    + column.duckDbType() + " of table " + schema + "." + name);
        }
    }

    private DuckDbFileTables() {
    }

    /**
     * Lists the tables of a database attached under an alias, ordered by schema and name.
     *
     * @param statement a statement on the connection the file is attached to
     * @param alias the alias it was attached as
     * @return the tables
     * @throws SQLException when DuckDB cannot list them
     */
    static List<Table> list(Statement statement, String alias) throws SQLException {
        Map<List<String>, List<Column>> columnsByTable = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT schema_name, table_name, column_name, data_type"
                + " FROM duckdb_columns() WHERE database_name = '" + alias.replace("'", "''") + "'"
                + " ORDER BY schema_name, table_name, column_index")) {
            while (rows.next()) {
                columnsByTable.computeIfAbsent(List.of(rows.getString(1), rows.getString(2)), key -> new ArrayList<>())
                        .add(new Column(rows.getString(3), rows.getString(4)));
            }
        }
        List<Table> tables = new ArrayList<>(columnsByTable.size());
        columnsByTable.forEach((key, columns) -> tables.add(new Table(key.get(0), key.get(1), columns)));
        return tables;
    }
}
