package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorSettings;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real Amazon Redshift cluster, with TLS ({@code verify-full}): runs only when the environment names one,
 * and is skipped, saying which variables are missing, otherwise.
 *
 * <ul>
 *   <li>{@code CDI_REDSHIFT_HOST}, {@code CDI_REDSHIFT_DATABASE}, {@code CDI_REDSHIFT_USER},
 *       {@code CDI_REDSHIFT_PASSWORD}: the cluster and a user with {@code SELECT} on the table;</li>
 *   <li>{@code CDI_REDSHIFT_TABLE}: {@code schema.table} in the SPEC layout, with at least one row;</li>
 *   <li>{@code CDI_REDSHIFT_PORT} (optional, default 5439).</li>
 * </ul>
 * It only reads: the current time, the table's columns, its first rows and a count.
 */
class RedshiftLiveTest {
    private static final List<String> REQUIRED = List.of("CDI_REDSHIFT_HOST", "CDI_REDSHIFT_DATABASE",
            "CDI_REDSHIFT_USER", "CDI_REDSHIFT_PASSWORD", "CDI_REDSHIFT_TABLE");

    private Map<String, String> settings;
    private TableName table;

    @BeforeEach
    void readEnvironment() {
        List<String> missing = REQUIRED.stream().filter(name -> blank(System.getenv(name))).toList();
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live Redshift cluster configured; set " + missing
                + " (and optionally CDI_REDSHIFT_PORT) to run this test");
        settings = new HashMap<>();
        settings.put("host", System.getenv("CDI_REDSHIFT_HOST"));
        settings.put("database", System.getenv("CDI_REDSHIFT_DATABASE"));
        settings.put("user", System.getenv("CDI_REDSHIFT_USER"));
        settings.put("password", System.getenv("CDI_REDSHIFT_PASSWORD"));
        Optional.ofNullable(System.getenv("CDI_REDSHIFT_PORT")).filter(port -> !blank(port))
                .ifPresent(port -> settings.put("port", port));
        table = TableName.parse(System.getenv("CDI_REDSHIFT_TABLE"));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Test
    void readsTheTableOverTls() {
        RedshiftConnectorProvider provider = new RedshiftConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            Instant now = connector.currentTime();
            assertThat(Duration.between(Instant.now(), now).abs()).as("the cluster's clock, %s", now)
                    .isLessThan(Duration.ofMinutes(5));

            TableSchema schema = connector.describe(table);
            assertThat(schema.has(Column.UPDATED_AT)).as("%s", schema).isTrue();

            List<SourceRow> rows = new ArrayList<>();
            try (RowStream stream = connector.read(new ReadRequest(table, schema,
                    RowFilter.between(Optional.empty(), now), OptionalLong.of(100)))) {
                stream.forEachRemaining(rows::add);
            }
            assertThat(rows).as("rows of %s", table).isNotEmpty();
            List<Instant> updatedAts = rows.stream().map(row -> row.updatedAt().orElseThrow()).toList();
            assertThat(updatedAts).isSorted().allSatisfy(instant -> assertThat(instant.getNano() % 1_000).isZero());
            assertThat(connector.count(table, schema, RowFilter.at(updatedAts.get(0)))).as("bound back exactly")
                    .isPositive();
        }
    }
}
