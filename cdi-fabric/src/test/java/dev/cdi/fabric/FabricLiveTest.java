package dev.cdi.fabric;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.LiveWarehouseCheck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real Microsoft Fabric warehouse: runs only when the environment names one, and is skipped, saying which
 * variables are missing, otherwise.
 *
 * <ul>
 *   <li>{@code CDI_FABRIC_HOST}: the SQL connection string's host ({@code ...datawarehouse.fabric.microsoft.com});</li>
 *   <li>{@code CDI_FABRIC_WAREHOUSE}: the warehouse or SQL analytics endpoint;</li>
 *   <li>{@code CDI_FABRIC_TENANT_ID}, {@code CDI_FABRIC_CLIENT_ID}, {@code CDI_FABRIC_CLIENT_SECRET}: a service
 *       principal that is a member of the workspace;</li>
 *   <li>{@code CDI_FABRIC_TABLE}: {@code schema.table} in the SPEC layout, with at least one row.</li>
 * </ul>
 * It only reads: the current time, the table's columns and its first rows.
 */
class FabricLiveTest {
    private static final List<String> REQUIRED = List.of("CDI_FABRIC_HOST", "CDI_FABRIC_WAREHOUSE",
            "CDI_FABRIC_TENANT_ID", "CDI_FABRIC_CLIENT_ID", "CDI_FABRIC_CLIENT_SECRET", "CDI_FABRIC_TABLE");

    private Map<String, String> settings;
    private TableName table;

    @BeforeEach
    void readEnvironment() {
        List<String> missing = LiveWarehouseCheck.missing(REQUIRED);
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live Fabric warehouse configured; set " + missing
                + " to run this test");
        settings = new HashMap<>();
        settings.put("host", System.getenv("CDI_FABRIC_HOST"));
        settings.put("warehouse", System.getenv("CDI_FABRIC_WAREHOUSE"));
        settings.put("tenantId", System.getenv("CDI_FABRIC_TENANT_ID"));
        settings.put("clientId", System.getenv("CDI_FABRIC_CLIENT_ID"));
        settings.put("clientSecret", System.getenv("CDI_FABRIC_CLIENT_SECRET"));
        LiveWarehouseCheck.optional("CDI_FABRIC_ENCRYPT")
                .ifPresent(value -> settings.put("encrypt", value));
        table = TableName.parse(System.getenv("CDI_FABRIC_TABLE"));
    }

    @Test
    void readsTheTableAsAServicePrincipal() {
        FabricConnectorProvider provider = new FabricConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            LiveWarehouseCheck.readFirstRows(connector, table);
        }
    }
}
