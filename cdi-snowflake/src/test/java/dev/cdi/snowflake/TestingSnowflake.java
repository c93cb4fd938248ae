package dev.cdi.snowflake;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import dev.cdi.testkit.TestingSnowflakeServer;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link TestingSnowflakeServer} shared by the test classes of this module, a user whose first key slot holds a
 * generated key, and connection settings for it (the key as an encrypted PEM with its passphrase, as a user's
 * configuration holds it). Stands in for a Snowflake account, which cannot be reached from here.
 */
final class TestingSnowflake {
    static final String USER = "CDI_USER";
    static final String ROLE = "CDI_ROLE";
    static final String DATABASE = "CDI_DB";
    static final String WAREHOUSE = "COMPUTE_WH";
    static final String PASSPHRASE = "test passphrase, not a secret";

    private static TestingSnowflakeServer server;
    private static SnowflakeKeyPair key;

    private TestingSnowflake() {
    }

    static synchronized TestingSnowflakeServer server() {
        if (server == null) {
            server = TestingSnowflakeServer.start();
            key = SnowflakeKeyPair.generate();
            server.addUser(USER, key.publicKey());
        }
        return server;
    }

    static synchronized SnowflakeKeyPair key() {
        server();
        return key;
    }

    /** Settings for the test user: its key, the fake's address without TLS, the role, warehouse and database. */
    static Map<String, String> settings() {
        TestingSnowflakeServer snowflake = server();
        Map<String, String> settings = new HashMap<>();
        settings.put("account", snowflake.account());
        settings.put("host", snowflake.host());
        settings.put("port", Integer.toString(snowflake.port()));
        settings.put("ssl", "false");
        settings.put("user", USER);
        settings.put("role", ROLE);
        settings.put("warehouse", WAREHOUSE);
        settings.put("database", DATABASE);
        settings.put("schema", "PUBLIC");
        settings.put("privateKey", key().encryptedPrivateKeyPem(PASSPHRASE.toCharArray()));
        settings.put("privateKeyPassphrase", PASSPHRASE);
        settings.put("connectTimeout", "PT10S");
        return settings;
    }

    static ConnectorSettings connectorSettings(Map<String, String> settings) {
        return new ConnectorSettings(settings, new SnowflakeConnectorProvider().secretSettingKeys());
    }

    static SourceConnector open(Map<String, String> settings) {
        return new SnowflakeConnectorProvider().open(connectorSettings(settings));
    }

    static SourceConnector open() {
        return open(settings());
    }
}
