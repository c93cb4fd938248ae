package dev.cdi.databricks;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.testkit.TestingDatabricksServer;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link TestingDatabricksServer} shared by the test classes of this module, a service principal of it, and
 * connection settings for a personal access token or the service principal. Stands in for a Databricks workspace,
 * which cannot be reached from here.
 */
final class TestingDatabricks {
    static final String CATALOG = "cdi";
    static final String SCHEMA = "sales";
    static final String CLIENT_ID = "8c1f6d2e-5b7a-4c3d-9e0f-1a2b3c4d5e6f";
    static final String CLIENT_SECRET = "dose-test-secret-not-a-real-one";

    private static TestingDatabricksServer server;

    private TestingDatabricks() {
    }

    static synchronized TestingDatabricksServer server() {
        if (server == null) {
            server = TestingDatabricksServer.start();
            server.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        }
        return server;
    }

    /** Settings with the fake's personal access token, plain HTTP, the catalog and schema for short names. */
    static Map<String, String> settings() {
        TestingDatabricksServer databricks = server();
        Map<String, String> settings = new HashMap<>();
        settings.put("host", databricks.host());
        settings.put("port", Integer.toString(databricks.port()));
        settings.put("ssl", "false");
        settings.put("httpPath", databricks.httpPath());
        settings.put("catalog", CATALOG);
        settings.put("schema", SCHEMA);
        settings.put("token", databricks.personalAccessToken());
        return settings;
    }

    /** Settings that log in as the service principal with OAuth machine-to-machine. */
    static Map<String, String> servicePrincipalSettings() {
        Map<String, String> settings = settings();
        settings.remove("token");
        settings.put("clientId", CLIENT_ID);
        settings.put("clientSecret", CLIENT_SECRET);
        return settings;
    }

    static ConnectorSettings connectorSettings(Map<String, String> settings) {
        return new ConnectorSettings(settings, new DatabricksConnectorProvider().secretSettingKeys());
    }

    static SourceConnector open(Map<String, String> settings) {
        return new DatabricksConnectorProvider().open(connectorSettings(settings));
    }

    static SourceConnector open() {
        return open(settings());
    }
}
