package dev.cdi.redshift;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.testkit.TestingRedshiftServer;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link TestingRedshiftServer} shared by the test classes of this module (starting one takes a second or
 * two), and connection settings for it. The embedded PostgreSQL stops with the JVM.
 */
final class TestingRedshift {
    private static TestingRedshiftServer server;

    private TestingRedshift() {
    }

    static synchronized TestingRedshiftServer server() {
        if (server == null) {
            server = TestingRedshiftServer.start();
        }
        return server;
    }

    /** Settings for the test user, without TLS (the test server has none), with a short connect timeout. */
    static Map<String, String> settings() {
        TestingRedshiftServer redshift = server();
        Map<String, String> settings = new HashMap<>();
        settings.put("host", redshift.host());
        settings.put("port", Integer.toString(redshift.port()));
        settings.put("database", redshift.database());
        settings.put("user", redshift.user());
        settings.put("password", redshift.password());
        settings.put("ssl", "false");
        settings.put("connectTimeout", "PT5S");
        return settings;
    }

    static SourceConnector open(Map<String, String> settings) {
        return new RedshiftConnectorProvider().open(new ConnectorSettings(settings, RedshiftSettings.SECRET_KEYS));
    }

    static SourceConnector open() {
        return open(settings());
    }
}
