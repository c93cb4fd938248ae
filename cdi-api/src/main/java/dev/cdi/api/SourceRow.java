package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row as a connector read it: {@code UPDATED_AT} as an instant (at source precision, or absent when NULL)
 * and the other columns as text. {@code PAYLOAD} is JSON text; {@code DELETED} is {@code "true"} or
 * {@code "false"}.
 *
 * <p>Immutable and thread-safe. Connectors build rows with {@link #builder()}.
 */
public final class SourceRow {
    private static final Column[] COLUMNS = Column.values();

    private final Instant updatedAt;
    private final String[] values;

    private SourceRow(Instant updatedAt, String[] values) {
        this.updatedAt = updatedAt;
        this.values = values;
    }

    /**
     * Starts a row.
     *
     * @return a builder with every column unset
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The row's {@code UPDATED_AT}.
     *
     * @return the instant, or empty when the column was NULL
     */
    public Optional<Instant> updatedAt() {
        return Optional.ofNullable(updatedAt);
    }

    /**
     * A text column's value.
     *
     * @param column any column but {@link Column#UPDATED_AT}
     * @return the value, or empty when the column is absent from the table or NULL
     */
    public Optional<String> value(Column column) {
        return Optional.ofNullable(values[column.ordinal()]);
    }

    /**
     * All set text columns, for diagnostics and fingerprints.
     *
     * @return a new map of the set columns in declaration order
     */
    public Map<Column, String> values() {
        Map<Column, String> map = new EnumMap<>(Column.class);
        for (Column column : COLUMNS) {
            String value = values[column.ordinal()];
            if (value != null) {
                map.put(column, value);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        // Values may hold personal data; show which columns are set, not their contents.
        return "SourceRow[updatedAt=" + updatedAt + ", columns=" + values().keySet() + "]";
    }

    /**
     * Builds {@link SourceRow}s. Not thread-safe. May be reused: {@link #build()} copies what was set, so changing
     * the builder afterwards leaves rows already built unchanged. What was set stays set for the next row until set
     * again ({@code null} clears a text column); {@code UPDATED_AT} cannot be cleared, so a row whose
     * {@code UPDATED_AT} is NULL needs a new builder.
     */
    public static final class Builder {
        private Instant updatedAt;
        private final String[] values = new String[COLUMNS.length];

        private Builder() {
        }

        /**
         * Sets {@code UPDATED_AT}; leave unset for NULL.
         *
         * @param updatedAt the instant
         * @return this builder
         */
        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = requireNonNull(updatedAt, "updatedAt is null");
            return this;
        }

        /**
         * Sets a text column; a {@code null} value is ignored so that connectors can pass what the driver
         * returned for a SQL NULL.
         *
         * @param column any column but {@link Column#UPDATED_AT}
         * @param value the text, or {@code null} for SQL NULL
         * @return this builder
         */
        public Builder value(Column column, String value) {
            if (column == Column.UPDATED_AT) {
                throw new IllegalArgumentException("UPDATED_AT is set with updatedAt(Instant)");
            }
            values[column.ordinal()] = value;
            return this;
        }

        /**
         * Builds a row from what is set now. May be called any number of times.
         *
         * @return the row, independent of later changes to this builder
         */
        public SourceRow build() {
            // A copy, or reusing the builder would change the immutable row; a few references, so it costs little.
            return new SourceRow(updatedAt, values.clone());
        }
    }
}
