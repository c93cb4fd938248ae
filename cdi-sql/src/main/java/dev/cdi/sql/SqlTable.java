package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A described table as queries read it: its name and the columns CDI reads, each with its source name, type and
 * {@link ColumnMapping}, in {@link Column} declaration order (the order of the {@code SELECT} list).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the table
 * @param columns the columns read, at most one per {@link Column}, in declaration order
 */
@Experimental
public record SqlTable(TableName name, List<MappedColumn> columns) {

    /** Copies the columns and checks their order. */
    public SqlTable {
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        for (int i = 1; i < columns.size(); i++) {
            if (columns.get(i - 1).column().compareTo(columns.get(i).column()) >= 0) {
                throw new IllegalArgumentException("columns are not in Column order without repeats");
            }
        }
    }

    /**
     * Matches a table's columns, as the source described them, with the columns CDI reads (ignoring case; other
     * columns are left out) and maps each with the dialect.
     *
     * @param dialect the warehouse's dialect
     * @param name the table
     * @param sourceColumns every column of the table, as described
     * @return the table
     * @throws CdiException with {@link ErrorCode#INVALID_COLUMN_TYPE} when two columns stand for one CDI column (their
     *         names differ only in case) or a column has a type the dialect cannot read for its purpose
     */
    public static SqlTable describe(SqlDialect dialect, TableName name, List<SourceColumn> sourceColumns) {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(name, "name is null");
        Map<Column, SourceColumn> matched = new EnumMap<>(Column.class);
        for (SourceColumn sourceColumn : requireNonNull(sourceColumns, "sourceColumns is null")) {
            Optional<Column> column = Column.fromSourceName(sourceColumn.name());
            if (column.isEmpty()) {
                continue;
            }
            SourceColumn previous = matched.putIfAbsent(column.get(), sourceColumn);
            if (previous != null) {
                throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Table " + name + " has two columns that stand"
                        + " for " + column.get() + " (names are matched ignoring case): " + previous.name() + " and "
                        + sourceColumn.name());
            }
        }
        List<MappedColumn> columns = new ArrayList<>(matched.size());
        matched.forEach((column, sourceColumn) -> columns.add(
                map(dialect, name, column, sourceColumn.name(), SourceType.of(sourceColumn.typeName()))));
        return new SqlTable(name, columns);
    }

    /**
     * The table a schema describes, mapped again with the dialect: how a connector turns the {@link TableSchema} it
     * returned from describe back into what its queries need. Deciding a mapping is a pure function of the type, so
     * this gives the mappings describe decided.
     *
     * @param dialect the warehouse's dialect
     * @param name the table
     * @param schema the schema describe returned
     * @return the table
     * @throws CdiException with {@link ErrorCode#INVALID_COLUMN_TYPE} when a column has a type the dialect cannot read
     */
    public static SqlTable of(SqlDialect dialect, TableName name, TableSchema schema) {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(name, "name is null");
        requireNonNull(schema, "schema is null");
        List<MappedColumn> columns = new ArrayList<>(schema.columnTypes().size());
        for (Column column : Column.values()) {
            Optional<String> type = schema.typeOf(column);
            if (type.isPresent()) {
                columns.add(map(dialect, name, column, schema.nameOf(column).orElseThrow(), SourceType.of(type.get())));
            }
        }
        return new SqlTable(name, columns);
    }

    private static MappedColumn map(SqlDialect dialect, TableName table, Column column, String sourceName,
            SourceType type) {
        Optional<ColumnMapping> mapping;
        try {
            mapping = switch (column) {
                case UPDATED_AT -> dialect.updatedAtMapping(type);
                case PAYLOAD -> dialect.payloadMapping(type);
                case DELETED -> dialect.deletedMapping(type);
                case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID ->
                        Optional.of(dialect.textMapping(type));
            };
        } catch (CdiException refused) {
            // A dialect may refuse a type with advice of its own; the message still names the table.
            throw new CdiException(refused.errorCode(), "Table " + table + ": " + refused.getMessage(), refused);
        }
        if (mapping.isEmpty()) {
            throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Column " + column + " of table " + table + " has"
                    + " type " + type.name() + ", which " + dialect.name() + " cannot read as " + column + "; expected "
                    + dialect.supportedTypes(column));
        }
        return new MappedColumn(column, sourceName, type, mapping.get());
    }

    /**
     * The schema the connector returns from describe: each column's source type and name.
     *
     * @return the schema
     */
    public TableSchema schema() {
        Map<Column, String> types = new EnumMap<>(Column.class);
        Map<Column, String> names = new EnumMap<>(Column.class);
        for (MappedColumn column : columns) {
            types.put(column.column(), column.type().name());
            names.put(column.column(), column.sourceName());
        }
        return new TableSchema(types, names);
    }

    /**
     * A column of the table.
     *
     * @param column the CDI column
     * @return it, or empty when the table lacks it
     */
    public Optional<MappedColumn> column(Column column) {
        for (MappedColumn mapped : columns) {
            if (mapped.column() == column) {
                return Optional.of(mapped);
            }
        }
        return Optional.empty();
    }

    /**
     * The table's {@code UPDATED_AT}.
     *
     * @return the column
     * @throws CdiException with {@link ErrorCode#MISSING_COLUMN} when the table has none
     */
    public MappedColumn updatedAt() {
        return column(Column.UPDATED_AT).orElseThrow(() -> new CdiException(ErrorCode.MISSING_COLUMN,
                "Table " + name + " has no " + Column.UPDATED_AT + " column"));
    }
}
