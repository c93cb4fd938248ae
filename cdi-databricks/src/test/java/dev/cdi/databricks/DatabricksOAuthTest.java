package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.testkit.TestingDatabricksServer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAuth machine-to-machine: the real driver gets tokens for a service principal from the fake's token endpoint,
 * which checks the client id and secret.
 *
 * <p>With OAuth machine-to-machine the driver sends every call to {@code https://<host>} on port 443, which a fake on
 * a loopback port cannot be, unless the JVM has the driver's own switch for fake services, {@code isFakeServiceTest},
 * which this class sets while it runs (and which changes nothing else a read relies on).
 */
class DatabricksOAuthTest {
    private static String before;

    @BeforeAll
    static void useTheDriversFakeServiceMode() {
        before = System.getProperty("isFakeServiceTest");
        System.setProperty("isFakeServiceTest", "true");
    }

    @AfterAll
    static void restore() {
        if (before == null) {
            System.clearProperty("isFakeServiceTest");
        } else {
            System.setProperty("isFakeServiceTest", before);
        }
    }

    private static long count(SourceConnector connector, TableName table) {
        TableSchema schema = connector.describe(table);
        long rows = 0;
        try (RowStream stream = connector.read(new ReadRequest(table, schema,
                RowFilter.between(Optional.empty(), Instant.parse("2030-01-01T00:00:00Z")), OptionalLong.empty()))) {
            while (stream.hasNext()) {
                stream.next();
                rows++;
            }
        }
        return rows;
    }

    @Test
    void aServicePrincipalLogsInWithOAuthMachineToMachine() {
        TestingDatabricksServer server = TestingDatabricks.server();
        String name = "oauth_orders";
        server.createTable(TestingDatabricks.CATALOG + "." + TestingDatabricks.SCHEMA + "." + name,
                "updated_at TIMESTAMP, external_id STRING, payload STRING");
        server.insert(TestingDatabricks.CATALOG + "." + TestingDatabricks.SCHEMA + "." + name, new Object[] {"2026-01-02 03:04:05+00", "u1", "{}"});
        int tokensBefore = server.tokensIssued();
        try (SourceConnector connector = TestingDatabricks.open(TestingDatabricks.servicePrincipalSettings())) {
            assertThat(count(connector, TableName.parse(TestingDatabricks.SCHEMA + "." + name))).isEqualTo(1);
        }
        assertThat(server.tokensIssued()).isGreaterThan(tokensBefore);
        assertThat(server.queryHistory()).filteredOn(entry -> entry.statementText().contains("`" + name + "`"))
                .isNotEmpty().allSatisfy(entry -> assertThat(entry.principal()).isEqualTo(TestingDatabricks.CLIENT_ID));
    }

    @Test
    void aWrongOAuthSecretIsAnAuthenticationErrorThatSaysSecretsExpire() {
        Map<String, String> settings = TestingDatabricks.servicePrincipalSettings();
        settings.put("clientSecret", "not-the-secret");
        try (SourceConnector connector = TestingDatabricks.open(settings)) {
            assertThatThrownBy(connector::currentTime)
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                    .hasMessageContaining("OAuth secrets expire")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret"));
        }
    }
}
