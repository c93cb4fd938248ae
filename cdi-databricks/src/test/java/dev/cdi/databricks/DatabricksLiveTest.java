package dev.cdi.databricks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.LiveWarehouseCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real Databricks workspace: runs only when the environment names one, and is skipped, saying which
 * variables are missing, otherwise.
 *
 * <ul>
 *   <li>{@code CDI_DATABRICKS_HOST}, {@code CDI_DATABRICKS_HTTP_PATH}: the SQL warehouse's connection details;</li>
 *   <li>{@code CDI_DATABRICKS_TOKEN}: a personal access token, or {@code CDI_DATABRICKS_CLIENT_ID} and
 *       {@code CDI_DATABRICKS_CLIENT_SECRET} of a service principal;</li>
 *   <li>{@code CDI_DATABRICKS_TABLE}: {@code catalog.schema.table} in the SPEC layout, with at least one row.</li>
 * </ul>
 * It only reads: the current time, the table's columns and its first rows. A stopped warehouse is started, and the
 * test waits for it as a run would.
 */
class DatabricksLiveTest {
    private static final List<String> REQUIRED = List.of("CDI_DATABRICKS_HOST", "CDI_DATABRICKS_HTTP_PATH",
            "CDI_DATABRICKS_TABLE");

    private Map<String, String> settings;
    private TableName table;

    @BeforeEach
    void readEnvironment() {
        List<String> missing = new ArrayList<>(LiveWarehouseCheck.missing(REQUIRED));
        boolean token = LiveWarehouseCheck.optional("CDI_DATABRICKS_TOKEN").isPresent();
        boolean principal = LiveWarehouseCheck.optional("CDI_DATABRICKS_CLIENT_ID").isPresent()
                && LiveWarehouseCheck.optional("CDI_DATABRICKS_CLIENT_SECRET").isPresent();
        if (!token && !principal) {
            missing.add("CDI_DATABRICKS_TOKEN (or CDI_DATABRICKS_CLIENT_ID and CDI_DATABRICKS_CLIENT_SECRET)");
        }
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live Databricks workspace configured; set " + missing
                + " to run this test");
        settings = new HashMap<>();
        settings.put("host", System.getenv("CDI_DATABRICKS_HOST"));
        settings.put("httpPath", System.getenv("CDI_DATABRICKS_HTTP_PATH"));
        if (token) {
            settings.put("token", System.getenv("CDI_DATABRICKS_TOKEN"));
        } else {
            settings.put("clientId", System.getenv("CDI_DATABRICKS_CLIENT_ID"));
            settings.put("clientSecret", System.getenv("CDI_DATABRICKS_CLIENT_SECRET"));
        }
        table = TableName.parse(System.getenv("CDI_DATABRICKS_TABLE"));
    }

    @Test
    void readsTheTable() {
        DatabricksConnectorProvider provider = new DatabricksConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            LiveWarehouseCheck.readFirstRows(connector, table);
        }
    }
}
