package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Experimental;
import java.util.Optional;

/**
 * How one column of a described table is handled, decided once by the {@link SqlDialect} from the column's type: the
 * expression that selects it, the form its value arrives in, and, for {@code UPDATED_AT}, how it is compared with a
 * bound. Because selecting and reading are one value, they cannot disagree.
 *
 * <p>Immutable and thread-safe.
 *
 * @param select the select expression
 * @param readAs the form of the selected value
 * @param comparison how bounds are compared with the column; present exactly for {@code UPDATED_AT}
 */
@Experimental
public record ColumnMapping(SelectExpression select, ValueForm readAs, Optional<TimestampComparison> comparison) {

    /** Checks every part. */
    public ColumnMapping {
        requireNonNull(select, "select is null");
        requireNonNull(readAs, "readAs is null");
        requireNonNull(comparison, "comparison is null");
        if (comparison.isPresent() && !readAs.isInstant()) {
            throw new IllegalArgumentException("a compared column must be read as an instant, not " + readAs);
        }
    }

    /**
     * The column itself, read in a form.
     *
     * @param readAs the form
     * @return the mapping
     */
    public static ColumnMapping of(ValueForm readAs) {
        return new ColumnMapping(SelectExpression.column(), readAs, Optional.empty());
    }

    /**
     * An expression of the column, read in a form.
     *
     * @param select the expression
     * @param readAs the form
     * @return the mapping
     */
    public static ColumnMapping of(SelectExpression select, ValueForm readAs) {
        return new ColumnMapping(select, readAs, Optional.empty());
    }

    /**
     * An {@code UPDATED_AT} mapping.
     *
     * @param select the expression
     * @param readAs the form, one that {@link ValueForm#isInstant() is an instant}
     * @param comparison how bounds are compared with it
     * @return the mapping
     */
    public static ColumnMapping timestamp(SelectExpression select, ValueForm readAs, TimestampComparison comparison) {
        return new ColumnMapping(select, readAs, Optional.of(comparison));
    }
}
