package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;

/**
 * One column of a described table: which CDI column it is, its name and type in the source, and its mapping.
 *
 * <p>Immutable and thread-safe.
 *
 * @param column the CDI column
 * @param sourceName the column's name exactly as the source reported it
 * @param type its source type
 * @param mapping how it is selected, read and compared
 */
public record MappedColumn(Column column, String sourceName, SourceType type, ColumnMapping mapping) {

    /** Checks every part. */
    public MappedColumn {
        requireNonNull(column, "column is null");
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(type, "type is null");
        requireNonNull(mapping, "mapping is null");
        if ((column == Column.UPDATED_AT) != mapping.comparison().isPresent()) {
            throw new IllegalArgumentException(column == Column.UPDATED_AT
                    ? "the UPDATED_AT mapping has no comparison"
                    : "only UPDATED_AT is compared, not " + column);
        }
    }
}
