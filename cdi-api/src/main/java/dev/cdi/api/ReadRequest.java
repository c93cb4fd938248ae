package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * What {@link SourceConnector#read} fetches: the rows of a table that match a filter, ordered by
 * {@code UPDATED_AT} ascending, at most {@code limit} of them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param table the table or view
 * @param schema the table's columns, as {@link SourceConnector#describe} returned them
 * @param filter which rows
 * @param limit the most rows to return, if limited
 */
public record ReadRequest(TableName table, TableSchema schema, RowFilter filter, OptionalLong limit) {

    /** Validates every part. */
    public ReadRequest {
        requireNonNull(table, "table is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(limit, "limit is null");
        if (limit.isPresent() && limit.getAsLong() < 0) {
            throw new IllegalArgumentException("limit is negative");
        }
    }
}
