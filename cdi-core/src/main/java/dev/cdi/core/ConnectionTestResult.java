package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.SyncError;
import dev.cdi.api.TableSchema;
import dev.cdi.core.validation.RowVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a connection test found: the table is reachable and has the columns its data type needs (with a preview of
 * its first rows and each row's verdict), or the test failed with a sync-level error and advice.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface ConnectionTestResult {

    /**
     * The test passed.
     *
     * @param warehouseTime the warehouse's clock when tested
     * @param schema the table's columns that CDI reads
     * @param preview the first rows in {@code UPDATED_AT} order, each valid (resolved) or with its row error
     * @param costReport what a read costs on the warehouse (bytes scanned, partitioning), when the connector says
     */
    record Passed(Instant warehouseTime, TableSchema schema, List<RowVerdict> preview, Optional<String> costReport)
            implements ConnectionTestResult {
        /** Validates and copies. */
        public Passed {
            requireNonNull(warehouseTime, "warehouseTime is null");
            requireNonNull(schema, "schema is null");
            preview = List.copyOf(requireNonNull(preview, "preview is null"));
            requireNonNull(costReport, "costReport is null");
        }

        /**
         * A passed test without a cost report.
         *
         * @param warehouseTime the warehouse's current time
         * @param schema the table's columns
         * @param preview the first rows' verdicts
         */
        public Passed(Instant warehouseTime, TableSchema schema, List<RowVerdict> preview) {
            this(warehouseTime, schema, preview, Optional.empty());
        }
    }

    /**
     * The test failed.
     *
     * @param error the error, whose category says what kind of problem it is
     * @param advice what to do about it
     */
    record Failed(SyncError error, String advice) implements ConnectionTestResult {
        /** Validates both parts. */
        public Failed {
            requireNonNull(error, "error is null");
            requireNonNull(advice, "advice is null");
        }
    }

    /**
     * Whether the test passed.
     *
     * @return true for {@link Passed}
     */
    default boolean passed() {
        return this instanceof Passed;
    }
}
