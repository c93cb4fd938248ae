package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.RowFilter;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.testkit.LiveWarehouseCheck;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<String> missing = LiveWarehouseCheck.missing(REQUIRED);
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live Redshift cluster configured; set " + missing
                + " (and optionally CDI_REDSHIFT_PORT) to run this test");
        settings = new HashMap<>();
        settings.put("host", System.getenv("CDI_REDSHIFT_HOST"));
        settings.put("database", System.getenv("CDI_REDSHIFT_DATABASE"));
        settings.put("user", System.getenv("CDI_REDSHIFT_USER"));
        settings.put("password", System.getenv("CDI_REDSHIFT_PASSWORD"));
        LiveWarehouseCheck.optional("CDI_REDSHIFT_PORT").ifPresent(port -> settings.put("port", port));
        table = TableName.parse(System.getenv("CDI_REDSHIFT_TABLE"));
    }

    @Test
    void readsTheTableOverTls() {
        RedshiftConnectorProvider provider = new RedshiftConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            List<SourceRow> rows = LiveWarehouseCheck.readFirstRows(connector, table);
            TableSchema schema = connector.describe(table);
            List<Instant> updatedAts = rows.stream().map(row -> row.updatedAt().orElseThrow()).toList();
            assertThat(updatedAts).allSatisfy(instant -> assertThat(instant.getNano() % 1_000).isZero());
            assertThat(connector.count(table, schema, RowFilter.at(updatedAts.get(0)))).as("bound back exactly")
                    .isPositive();
        }
    }
}
