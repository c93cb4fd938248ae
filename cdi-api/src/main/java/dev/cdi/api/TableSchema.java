package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The columns of a source table that CDI reads, with the source's type name for each (such as
 * {@code TIMESTAMP WITH TIME ZONE}); other columns are left out.
 *
 * <p>Immutable and thread-safe.
 *
 * @param columnTypes the source type name of every column CDI recognises
 */
public record TableSchema(Map<Column, String> columnTypes) {

    /** Copies the map. */
    public TableSchema {
        columnTypes = Map.copyOf(requireNonNull(columnTypes, "columnTypes is null"));
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
}
