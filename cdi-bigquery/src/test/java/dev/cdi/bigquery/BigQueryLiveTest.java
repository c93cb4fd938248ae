package dev.cdi.bigquery;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.LiveWarehouseCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<String> missing = LiveWarehouseCheck.missing(REQUIRED);
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live BigQuery project configured; set " + missing
                + " (and optionally CDI_BIGQUERY_LOCATION) to run this test");
        settings = new HashMap<>();
        settings.put("project", System.getenv("CDI_BIGQUERY_PROJECT"));
        settings.put("credentials", Files.readString(Path.of(System.getenv("CDI_BIGQUERY_KEY_FILE"))));
        LiveWarehouseCheck.optional("CDI_BIGQUERY_LOCATION")
                .ifPresent(value -> settings.put("location", value));
        table = TableName.parse(System.getenv("CDI_BIGQUERY_TABLE"));
    }

    @Test
    void readsTheTableWithAServiceAccountKey() {
        BigQueryConnectorProvider provider = new BigQueryConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            LiveWarehouseCheck.readFirstRows(connector, table);
        }
    }
}
