package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Experimental;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * How {@code UPDATED_AT} is compared with an instant: the finest unit the column holds, whether it holds instants
 * (a zoned type) or UTC wall-clock time, and the type a bound parameter is cast to, which should be the column's own
 * type so that the warehouse compares the column itself and can prune by it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param precision {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS}, {@link ChronoUnit#MICROS} or
 *        {@link ChronoUnit#NANOS}
 * @param zoned whether the column holds instants
 * @param castType the SQL type a bound is cast to, such as {@code TIMESTAMPTZ}
 */
@Experimental
public record TimestampComparison(ChronoUnit precision, boolean zoned, String castType) {

    private static final Set<ChronoUnit> PRECISIONS =
            Set.of(ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);

    /** Checks every part. */
    public TimestampComparison {
        requireNonNull(precision, "precision is null");
        requireNonNull(castType, "castType is null");
        if (!PRECISIONS.contains(precision)) {
            throw new IllegalArgumentException("unsupported precision " + precision);
        }
        if (castType.isBlank()) {
            throw new IllegalArgumentException("castType is blank");
        }
    }
}
