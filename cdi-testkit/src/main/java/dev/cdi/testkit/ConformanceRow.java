package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row that {@link BaseConnectorTest} asks a connector's test engine to insert: {@code UPDATED_AT} (absent for
 * NULL) and text values for the other columns ({@code DELETED} as {@code "true"} or {@code "false"}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param updatedAt the {@code UPDATED_AT} value, or empty for NULL
 * @param values the other columns' values; absent columns are NULL
 */
public record ConformanceRow(Optional<Instant> updatedAt, Map<Column, String> values) {

    /** Validates and copies. */
    public ConformanceRow {
        requireNonNull(updatedAt, "updatedAt is null");
        Map<Column, String> copy = new EnumMap<>(Column.class);
        copy.putAll(requireNonNull(values, "values is null"));
        if (copy.containsKey(Column.UPDATED_AT)) {
            throw new IllegalArgumentException("UPDATED_AT goes in updatedAt");
        }
        values = Map.copyOf(copy);
    }

    /**
     * A row with an external id and a payload.
     *
     * @param updatedAt the {@code UPDATED_AT}
     * @param externalId the external id
     * @param payload the JSON payload
     * @return the row
     */
    public static ConformanceRow user(Instant updatedAt, String externalId, String payload) {
        return new ConformanceRow(Optional.of(updatedAt), Map.of(Column.EXTERNAL_ID, externalId, Column.PAYLOAD, payload));
    }
}
