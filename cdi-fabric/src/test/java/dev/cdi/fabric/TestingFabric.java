package dev.cdi.fabric;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.SourceConnector;
import dev.cdi.testkit.TestingFabricServer;
import dev.cdi.testkit.TestingFabricServer.ServicePrincipal;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link TestingFabricServer} shared by the test classes of this module, and connection settings for its service
 * principal: the fake's TDS address with strict encryption, its Entra authority, its certificate trusted by both.
 * Stands in for a Fabric workspace, which cannot be reached from here.
 */
final class TestingFabric {
    private static TestingFabricServer server;

    private TestingFabric() {
    }

    static synchronized TestingFabricServer server() {
        if (server == null) {
            server = TestingFabricServer.start();
        }
        return server;
    }

    /** Settings for the fake's default principal. */
    static Map<String, String> settings() {
        return settings(server().servicePrincipal());
    }

    /** Settings for a principal of the fake. */
    static Map<String, String> settings(ServicePrincipal principal) {
        TestingFabricServer fabric = server();
        Map<String, String> settings = new HashMap<>();
        settings.put("host", fabric.host());
        settings.put("port", Integer.toString(fabric.port()));
        settings.put("warehouse", fabric.database());
        settings.put("tenantId", fabric.tenantId());
        settings.put("clientId", principal.clientId());
        settings.put("clientSecret", principal.clientSecret());
        settings.put("encrypt", "strict");
        settings.put("authorityHost", fabric.authorityHost());
        settings.put("trustedCertificate", fabric.certificateFile().toString());
        settings.put("connectTimeout", "PT10S");
        return settings;
    }

    static ConnectorSettings connectorSettings(Map<String, String> settings) {
        return new ConnectorSettings(settings, new FabricConnectorProvider().secretSettingKeys());
    }

    static SourceConnector open(Map<String, String> settings) {
        return new FabricConnectorProvider().open(connectorSettings(settings));
    }

    static SourceConnector open() {
        return open(settings());
    }
}
