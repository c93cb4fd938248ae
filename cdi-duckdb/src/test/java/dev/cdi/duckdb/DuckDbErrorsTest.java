package dev.cdi.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The DuckDB driver turns 2,048 rows at a time into Java strings, so a table of 1 MB rows needs gigabytes of heap;
 * when the heap runs out it reports the OutOfMemoryError as an SQLException (seen with 300 rows of 1 MB and
 * -Xmx256m: "Invalid Error: Java heap space"). That is RESOURCES, not a network failure.
 */
class DuckDbErrorsTest {

    @Test
    void theDriverRunningOutOfJavaHeapIsOutOfMemory() {
        for (String message : new String[] {"Invalid Error: Java heap space",
                "Invalid Error: java.lang.OutOfMemoryError: Java heap space"}) {
            assertThat(DuckDbErrors.classify(new SQLException(message))).as(message).contains(ErrorCode.OUT_OF_MEMORY);
        }
        assertThat(ErrorCode.OUT_OF_MEMORY.category()).isEqualTo(ErrorCategory.RESOURCES);
        assertThat(DuckDbErrors.classify(new SQLException("Out of Memory Error: failed to allocate")))
                .contains(ErrorCode.RESOURCE_EXHAUSTED);
    }
}
