package dev.cdi.core.validation;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;

/**
 * The verdict on one source row: valid (and resolved), or invalid with a row error.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RowVerdict {

    /**
     * The row is valid.
     *
     * @param row the resolved row
     */
    record Valid(ResolvedRow row) implements RowVerdict {
        /** Validates the row is present. */
        public Valid {
            requireNonNull(row, "row is null");
        }
    }

    /**
     * The row breaks a rule.
     *
     * @param error the row error
     */
    record Invalid(RowError error) implements RowVerdict {
        /** Validates the error is present. */
        public Invalid {
            requireNonNull(error, "error is null");
        }
    }
}
