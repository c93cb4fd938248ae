package dev.cdi.bigquery;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.testkit.TestingBigQueryServer;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link TestingBigQueryServer} shared by the test classes of this module, a service account with a generated key,
 * and connection settings for it. Stands in for a Google Cloud project, which cannot be reached from here: the real
 * client runs its real OAuth flow against the fake.
 */
final class TestingBigQuery {
    static final String PROJECT = "cdi-test-project";
    static final String DATASET = "cdi_dataset";

    private static TestingBigQueryServer server;
    private static TestingBigQueryServer.ServiceAccount account;

    private TestingBigQuery() {
    }

    static synchronized TestingBigQueryServer server() {
        if (server == null) {
            server = TestingBigQueryServer.start();
            account = server.createServiceAccount("cdi-sync@" + PROJECT + ".iam.gserviceaccount.com");
        }
        return server;
    }

    static synchronized TestingBigQueryServer.ServiceAccount account() {
        server();
        return account;
    }

    static Map<String, String> settings(TestingBigQueryServer.ServiceAccount serviceAccount) {
        Map<String, String> settings = new HashMap<>();
        settings.put("project", PROJECT);
        settings.put("location", "US");
        settings.put("credentials", serviceAccount.keyJson());
        settings.put("host", server().url());
        return settings;
    }

    static Map<String, String> settings() {
        return settings(account());
    }

    static SourceConnector open(Map<String, String> settings) {
        BigQueryConnectorProvider provider = new BigQueryConnectorProvider();
        return provider.open(new ConnectorSettings(settings, provider.secretSettingKeys()));
    }
}
