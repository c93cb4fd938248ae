package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a source table that CDI reads, as the connector found them when it described the table: the
 * source's type name for each (such as {@code TIMESTAMP WITH TIME ZONE}) and the column's own name in the source
 * (such as {@code updated_at} on a case-sensitive warehouse); other columns are left out. A connector hands this
 * back to itself in {@link SourceConnector#count} and {@link SourceConnector#read}, so it needs no cache of its own
 * keyed by table.
 *
 * <p>Immutable and thread-safe.
 *
 * @param columnTypes the source type name of every column CDI recognises
 * @param columnNames the source name of every column of {@code columnTypes}
 */
public record TableSchema(Map<Column, String> columnTypes, Map<Column, String> columnNames) {

    /** Copies both maps and checks that every column has a type and a name. */
    public TableSchema {
        columnTypes = Map.copyOf(requireNonNull(columnTypes, "columnTypes is null"));
        columnNames = Map.copyOf(requireNonNull(columnNames, "columnNames is null"));
        if (!columnTypes.keySet().equals(columnNames.keySet())) {
            throw new IllegalArgumentException("columnTypes and columnNames name different columns: "
                    + columnTypes.keySet() + " and " + columnNames.keySet());
        }
    }

    /**
     * A schema whose columns have their canonical names ({@code UPDATED_AT}, {@code PAYLOAD}, ...) in the source:
     * right for a warehouse that matches names ignoring case.
     *
     * @param columnTypes the source type name of every column CDI recognises
     */
    public TableSchema(Map<Column, String> columnTypes) {
        this(columnTypes, canonicalNames(columnTypes));
    }

    /**
     * Whether the table has a column.
     *
     * @param column the column
     * @return true when present
     */
    public boolean has(Column column) {
        return columnTypes.containsKey(column);
    }

    /**
     * The source type of a column.
     *
     * @param column the column
     * @return its type name, or empty when the table lacks it
     */
    public Optional<String> typeOf(Column column) {
        return Optional.ofNullable(columnTypes.get(column));
    }

    /**
     * The source name of a column.
     *
     * @param column the column
     * @return its name in the source, or empty when the table lacks it
     */
    public Optional<String> nameOf(Column column) {
        return Optional.ofNullable(columnNames.get(column));
    }

    private static Map<Column, String> canonicalNames(Map<Column, String> columnTypes) {
        Map<Column, String> names = new EnumMap<>(Column.class);
        for (Column column : requireNonNull(columnTypes, "columnTypes is null").keySet()) {
            names.put(column, column.name());
        }
        return names;
    }
}
