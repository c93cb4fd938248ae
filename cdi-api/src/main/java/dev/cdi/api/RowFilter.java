package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Which rows of the source table a read or count selects, by {@code UPDATED_AT}. Connectors turn a filter into
 * a {@code WHERE} clause with bound parameters.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RowFilter {

    /**
     * Rows whose {@code UPDATED_AT} lies in a range. NULLs never match.
     *
     * @param lower the lower bound, or empty for none
     * @param lowerInclusive whether the lower bound itself matches
     * @param upper the upper bound, or empty for none
     * @param upperInclusive whether the upper bound itself matches
     */
    record Range(Optional<Instant> lower, boolean lowerInclusive, Optional<Instant> upper, boolean upperInclusive)
            implements RowFilter {
        /** Validates the bounds. */
        public Range {
            requireNonNull(lower, "lower is null");
            requireNonNull(upper, "upper is null");
            if (lower.isPresent() && upper.isPresent() && lower.get().isAfter(upper.get())) {
                throw new IllegalArgumentException("lower bound " + lower.get() + " is after upper bound " + upper.get());
            }
        }
    }

    /**
     * Rows whose {@code UPDATED_AT} is NULL.
     */
    record NullUpdatedAt() implements RowFilter {
    }

    /**
     * Rows with {@code lower <= UPDATED_AT <= upper}, or with no lower bound when {@code lower} is empty.
     *
     * @param lower the inclusive lower bound, if any
     * @param upper the inclusive upper bound
     * @return the filter
     */
    static RowFilter between(Optional<Instant> lower, Instant upper) {
        return new Range(lower, true, Optional.of(upper), true);
    }

    /**
     * Rows with {@code UPDATED_AT > lower} and {@code UPDATED_AT <= upper}.
     *
     * @param lower the exclusive lower bound
     * @param upper the inclusive upper bound
     * @return the filter
     */
    static RowFilter after(Instant lower, Instant upper) {
        return new Range(Optional.of(lower), false, Optional.of(upper), true);
    }

    /**
     * Rows with {@code UPDATED_AT = value}.
     *
     * @param value the instant
     * @return the filter
     */
    static RowFilter at(Instant value) {
        return new Range(Optional.of(value), true, Optional.of(value), true);
    }

    /**
     * Rows with {@code UPDATED_AT > value}.
     *
     * @param value the exclusive lower bound
     * @return the filter
     */
    static RowFilter above(Instant value) {
        return new Range(Optional.of(value), false, Optional.empty(), false);
    }

    /**
     * Rows with a NULL {@code UPDATED_AT}.
     *
     * @return the filter
     */
    static RowFilter nullUpdatedAt() {
        return new NullUpdatedAt();
    }
}
