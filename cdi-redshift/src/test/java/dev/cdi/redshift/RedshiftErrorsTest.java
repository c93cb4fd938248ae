package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowFilter;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.JdbcErrors;
import dev.cdi.testkit.TestingRedshiftServer;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each failure the real driver reports, mapped onto its category with the driver's SQLState and message kept. */
class RedshiftErrorsTest {
    private static final TableName USERS = TableName.parse("errors_test.users");
    private static final String READER = "cdi_no_grants";
    private static final String READER_PASSWORD = "no-grants-password";
    private static TestingRedshiftServer server;

    @BeforeAll
    static void createTable() {
        server = TestingRedshift.server();
        server.execute("CREATE SCHEMA errors_test",
                "CREATE TABLE errors_test.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO errors_test.users VALUES ('2026-01-02 03:04:05+00', 'u1', '{}')",
                "CREATE VIEW errors_test.slow AS SELECT updated_at, external_id, payload FROM errors_test.users,"
                        + " (SELECT pg_sleep(5)) AS pause");
        server.createUser(READER, READER_PASSWORD);
    }

    @AfterAll
    static void dropTable() {
        server.execute("DROP SCHEMA errors_test CASCADE", "DROP USER " + READER);
    }

    @Test
    void aWrongPasswordIsAuthentication() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("password", "Not-The-Password-1");
        settings.put("connectTimeout", "1");

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(() -> connector.describe(USERS)).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
                assertThat(e.retryable()).isFalse();
            }).hasMessageContaining("password authentication failed").hasMessageContaining("SQLState 28P01")
                    .hasMessageNotContaining("Not-The-Password-1");
        }
    }

    @Test
    void aWrongPasswordIsTriedOnceNotUntilTheConnectTimeout() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("password", "Not-The-Password-2");
        settings.put("connectTimeout", "PT30S");
        long before = server.proxiedConnections();

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(() -> connector.describe(USERS)).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION));
            assertThatThrownBy(() -> connector.describe(USERS)).as("a second call tries once more, once")
                    .isInstanceOf(CdiException.class);
        }

        assertThat(server.proxiedConnections() - before).as("logins attempted").isEqualTo(2);
    }

    @Test
    void aStatementTheWarehouseRefusesIsAConfigurationErrorNotConnectivity() {
        try (SourceConnector connector = TestingRedshift.open()) {
            CdiException refused = catchThrowableOfType(CdiException.class,
                    () -> connector.describe(TableName.parse("other_database.errors_test.users")));

            assertThat(refused).isNotNull();
            assertThat(refused.category()).as(refused.getMessage()).isEqualTo(ErrorCategory.CONFIG);
            assertThat(refused.errorCode()).isEqualTo(ErrorCode.STATEMENT_REFUSED);
            assertThat(refused.getMessage()).contains("SQLState 0A000");
        }
    }

    @Test
    void aMissingTableOrSchemaIsTableNotFound() {
        try (SourceConnector connector = TestingRedshift.open()) {
            assertThatThrownBy(() -> connector.describe(TableName.parse("errors_test.missing")))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TABLE_NOT_FOUND))
                    .hasMessageContaining("errors_test.missing").hasMessageContaining("SQLState 42P01");
            assertThatThrownBy(() -> connector.describe(TableName.parse("no_such_schema.users")))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TABLE_NOT_FOUND))
                    .hasMessageContaining("no_such_schema");
        }
    }

    @Test
    void aUserWithoutGrantsIsPermissions() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("user", READER);
        settings.put("password", READER_PASSWORD);

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThat(connector.currentTime()).isNotNull();
            assertThatThrownBy(() -> connector.describe(USERS)).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSIONS);
            }).hasMessageContaining("permission denied").hasMessageContaining("SQLState 42501");
        }
    }

    @Test
    void tlsIsOnByDefaultAndAServerWithoutItIsRefused() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.remove("ssl");
        settings.put("connectTimeout", "1");

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTIVITY))
                    .hasMessageContaining("does not support SSL");
        }
    }

    @Test
    void aStatementLongerThanTheQueryTimeoutIsARetryableTimeout() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("queryTimeout", "PT0.5S");
        TableName slow = TableName.parse("errors_test.slow");

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            TableSchema schema = connector.describe(slow);
            assertThatThrownBy(() -> connector.count(slow, schema, RowFilter.between(Optional.empty(), Instant.now())))
                    .isInstanceOfSatisfying(CdiException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.QUERY_TIMEOUT);
                        assertThat(e.retryable()).isTrue();
                    }).hasMessageContaining("statement timeout").hasMessageContaining("57014");
        }
    }

    @Test
    void errorsWithoutSqlStateAreClassifiedByTheirCause() {
        RedshiftDialect dialect = new RedshiftDialect();

        assertThat(JdbcErrors.classify(new SQLException("The connection attempt failed.", null,
                new UnknownHostException("cluster.example.com")), dialect)).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(JdbcErrors.classify(new SQLException("Read timed out", null, new SocketTimeoutException()), dialect))
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(JdbcErrors.classify(new SQLException("Unknown oid found when retrieving the RedShift Type --3802"),
                dialect)).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE);
        assertThat(JdbcErrors.classify(new SQLException("Disk Full", "53100"), dialect))
                .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(JdbcErrors.classify(new SQLException("Query cancelled by WLM abort action", "57014"), dialect))
                .isEqualTo(ErrorCode.QUERY_TIMEOUT);
    }
}
