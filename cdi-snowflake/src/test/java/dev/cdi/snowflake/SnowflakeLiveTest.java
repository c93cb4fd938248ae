package dev.cdi.snowflake;

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
 * Against a real Snowflake account: runs only when the environment names one, and is skipped, saying which variables
 * are missing, otherwise.
 *
 * <ul>
 *   <li>{@code CDI_SNOWFLAKE_ACCOUNT}, {@code CDI_SNOWFLAKE_USER}: the account identifier and a user whose
 *       {@code RSA_PUBLIC_KEY} holds the key;</li>
 *   <li>{@code CDI_SNOWFLAKE_PRIVATE_KEY_FILE} and {@code CDI_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} (optional for an
 *       unencrypted key): the key, as {@code cdi keygen --snowflake} wrote it;</li>
 *   <li>{@code CDI_SNOWFLAKE_TABLE}: {@code database.schema.table} in the SPEC layout, with at least one row;</li>
 *   <li>{@code CDI_SNOWFLAKE_ROLE}, {@code CDI_SNOWFLAKE_WAREHOUSE} (optional).</li>
 * </ul>
 * It only reads: the current time, the table's columns and its first rows.
 */
class SnowflakeLiveTest {
    private static final List<String> REQUIRED = List.of("CDI_SNOWFLAKE_ACCOUNT", "CDI_SNOWFLAKE_USER",
            "CDI_SNOWFLAKE_PRIVATE_KEY_FILE", "CDI_SNOWFLAKE_TABLE");

    private Map<String, String> settings;
    private TableName table;

    @BeforeEach
    void readEnvironment() throws IOException {
        List<String> missing = LiveWarehouseCheck.missing(REQUIRED);
        assumeTrue(missing.isEmpty(), () -> "Skipped: no live Snowflake account configured; set " + missing
                + " (and optionally CDI_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, CDI_SNOWFLAKE_ROLE, CDI_SNOWFLAKE_WAREHOUSE)"
                + " to run this test");
        settings = new HashMap<>();
        settings.put("account", System.getenv("CDI_SNOWFLAKE_ACCOUNT"));
        settings.put("user", System.getenv("CDI_SNOWFLAKE_USER"));
        settings.put("privateKey", Files.readString(Path.of(System.getenv("CDI_SNOWFLAKE_PRIVATE_KEY_FILE"))));
        LiveWarehouseCheck.optional("CDI_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE").ifPresent(value -> settings.put("privateKeyPassphrase", value));
        LiveWarehouseCheck.optional("CDI_SNOWFLAKE_ROLE").ifPresent(value -> settings.put("role", value));
        LiveWarehouseCheck.optional("CDI_SNOWFLAKE_WAREHOUSE").ifPresent(value -> settings.put("warehouse", value));
        table = TableName.parse(System.getenv("CDI_SNOWFLAKE_TABLE"));
    }



    @Test
    void readsTheTableWithAKeyPair() {
        SnowflakeConnectorProvider provider = new SnowflakeConnectorProvider();
        try (SourceConnector connector = provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()))) {
            LiveWarehouseCheck.readFirstRows(connector, table);
        }
    }
}
