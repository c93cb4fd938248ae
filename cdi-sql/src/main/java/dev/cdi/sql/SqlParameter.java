package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Experimental;
import java.time.Instant;

/**
 * A typed value bound to one parameter marker of a {@link SqlQuery}. A client binding binds each kind its own way
 * (JDBC as text cast to the column's type; a vendor client as a typed named parameter). {@link #toString()} never
 * shows the value.
 *
 * <p>Immutable and thread-safe.
 */
@Experimental
public sealed interface SqlParameter {

    /**
     * An instant compared with {@code UPDATED_AT}, already rounded to the column's precision.
     *
     * @param value the instant, a whole number of {@code comparison.precision()} units
     * @param comparison the column's comparison, with its precision and whether it is zoned
     */
    record Timestamp(Instant value, TimestampComparison comparison) implements SqlParameter {

        /** Checks both parts and that the value is rounded. */
        public Timestamp {
            requireNonNull(value, "value is null");
            requireNonNull(comparison, "comparison is null");
            if (!value.truncatedTo(comparison.precision()).equals(value)) {
                throw new IllegalArgumentException("the value is finer than " + comparison.precision());
            }
        }

        /**
         * The value as UTC text at the column's precision, with a {@code +00:00} offset when the column is zoned:
         * what a client that binds text casts to {@link TimestampComparison#castType()}.
         *
         * @return the text, such as {@code 2026-01-02 03:04:05.123456+00:00}
         */
        public String utcText() {
            String text = UtcTimestamps.format(value, comparison.precision());
            return comparison.zoned() ? text + "+00:00" : text;
        }

        @Override
        public String toString() {
            return "Timestamp[" + comparison.castType() + "]";
        }
    }
}
