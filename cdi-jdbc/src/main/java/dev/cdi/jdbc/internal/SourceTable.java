package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A table as a query reads it: its name, the columns CDI reads with their source types, and each column's
 * name exactly as the warehouse reported it (so that a case-sensitive warehouse finds {@code "updated_at"}).
 *
 * @param name the table
 * @param schema the columns read and their source types
 * @param columnNames the source name of every column of {@code schema}
 */
public record SourceTable(TableName name, TableSchema schema, Map<Column, String> columnNames) {

    /** Checks that every column has a name. */
    public SourceTable {
        requireNonNull(name, "name is null");
        requireNonNull(schema, "schema is null");
        columnNames = Map.copyOf(requireNonNull(columnNames, "columnNames is null"));
        for (Column column : schema.columnTypes().keySet()) {
            if (!columnNames.containsKey(column)) {
                throw new IllegalArgumentException("no source name for column " + column);
            }
        }
    }

    /**
     * The columns read, in {@link Column} declaration order: the order of the {@code SELECT} list.
     *
     * @return the columns
     */
    public List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        for (Column column : Column.values()) {
            if (schema.has(column)) {
                columns.add(column);
            }
        }
        return columns;
    }

    /**
     * The source name of a column.
     *
     * @param column a column of the schema
     * @return its name as the warehouse reported it
     */
    public String columnName(Column column) {
        String columnName = columnNames.get(column);
        if (columnName == null) {
            throw missing(column);
        }
        return columnName;
    }

    /**
     * The source type of {@code UPDATED_AT}.
     *
     * @return the type name
     * @throws CdiException with {@link ErrorCode#MISSING_COLUMN} when the table has no {@code UPDATED_AT}
     */
    public String updatedAtType() {
        return schema.typeOf(Column.UPDATED_AT).orElseThrow(() -> missing(Column.UPDATED_AT));
    }

    private CdiException missing(Column column) {
        return new CdiException(ErrorCode.MISSING_COLUMN, "Table " + name + " has no " + column + " column");
    }
}
