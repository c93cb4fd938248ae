package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a test against a real warehouse checks, the same for every connector: it reads as a first run would and
 * changes nothing. Used by the connectors' live tests, which run only when the environment names a warehouse.
 *
 * <p>Stateless and thread-safe.
 */
public final class LiveWarehouseCheck {
    private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);
    private static final int FIRST_ROWS = 100;

    private LiveWarehouseCheck() {
    }

    /**
     * Reads the warehouse's clock (which must be within five minutes of this machine's), the table's columns
     * ({@code UPDATED_AT} among them) and its first rows up to that time (at least one, each with an
     * {@code UPDATED_AT}, in order).
     *
     * @param connector an open connector to the warehouse
     * @param table a table in the SPEC layout with at least one row
     * @return the rows read, at most 100
     */
    public static List<SourceRow> readFirstRows(SourceConnector connector, TableName table) {
        Instant now = connector.currentTime();
        assertThat(Duration.between(Instant.now(), now).abs()).as("the warehouse's clock, %s", now)
                .isLessThan(CLOCK_TOLERANCE);

        TableSchema schema = connector.describe(table);
        assertThat(schema.has(Column.UPDATED_AT)).as("%s", schema).isTrue();

        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema,
                RowFilter.between(Optional.empty(), now), OptionalLong.of(FIRST_ROWS)))) {
            stream.forEachRemaining(rows::add);
        }
        assertThat(rows).as("rows of %s", table).isNotEmpty()
                .allSatisfy(row -> assertThat(row.updatedAt()).isPresent());
        assertThat(rows.stream().map(row -> row.updatedAt().orElseThrow()).toList()).isSorted();
        return rows;
    }

    /**
     * The environment variables among some names that are unset or blank, for the message of a skipped test.
     *
     * @param names the variables a live test needs
     * @return those missing, in order
     */
    public static List<String> missing(List<String> names) {
        return names.stream().filter(name -> optional(name).isEmpty()).toList();
    }

    /**
     * An environment variable's value, when set and not blank.
     *
     * @param name the variable
     * @return its value, or empty
     */
    public static Optional<String> optional(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
