package dev.cdi.bigquery;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Against a real Google Cloud project: runs only when the environment names one, and is skipped, saying which
 * variables are missing, otherwise: {@code CDI_BIGQUERY_PROJECT}, {@code CDI_BIGQUERY_KEY_FILE} (a service account's
 * JSON key with BigQuery Data Viewer and Job User), {@code CDI_BIGQUERY_TABLE} ({@code dataset.table} in the SPEC
 * layout, with at least one row), and optionally {@code CDI_BIGQUERY_LOCATION}. It only reads, at most 100 rows.
 */
class BigQueryLiveTest {
    private static final List<String> REQUIRED = List.of("CDI_BIGQUERY_PROJECT", "CDI_BIGQUERY_KEY_FILE",
            "CDI_BIGQUERY_TABLE");

    private Map<String, String> settings;
    private TableName table;

    @BeforeEach
    void readEnvironment() throws IOException {
        List<String> missing = REQUIRED.stream().filter(name -> blank(System.getenv(name))).toList();
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live BigQuery project configured; set " + missing
                + " (and optionally CDI_BIGQUERY_LOCATION) to run this test");
        settings = new HashMap<>();
        settings.put("project", System.getenv("CDI_BIGQUERY_PROJECT"));
        settings.put("credentials", Files.readString(Path.of(System.getenv("CDI_BIGQUERY_KEY_FILE"))));
        Optional.ofNullable(System.getenv("CDI_BIGQUERY_LOCATION")).filter(value -> !blank(value))
                .ifPresent(value -> settings.put("location", value));
        table = TableName.parse(System.getenv("CDI_BIGQUERY_TABLE"));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Test
    void readsTheTableWithAServiceAccountKey() {
        BigQueryConnectorProvider provider = new BigQueryConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            Instant now = connector.currentTime();
            assertThat(Duration.between(Instant.now(), now).abs()).isLessThan(Duration.ofMinutes(5));
            TableSchema schema = connector.describe(table);
            assertThat(schema.has(Column.UPDATED_AT)).as("%s", schema).isTrue();
            List<SourceRow> rows = new ArrayList<>();
            try (RowStream stream = connector.read(new ReadRequest(table, schema,
                    RowFilter.between(Optional.empty(), now), OptionalLong.of(100)))) {
                stream.forEachRemaining(rows::add);
            }
            assertThat(rows).isNotEmpty();
        }
    }
}
