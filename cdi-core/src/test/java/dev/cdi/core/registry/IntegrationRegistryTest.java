package dev.cdi.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncOptions;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.registry.RegisteredIntegration.TestOutcome;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 9's integrations registry, against a real DuckDB file and a stub Snowflake-like connector. */
class IntegrationRegistryTest {
    private static final String SNOWLIKE = "snowlike";
    private static final String PASSWORD = "pa55-w0rd-secret";

    @TempDir
    Path directory;

    private final SecretCipher cipher = SecretCipher.fromKey(SecretCipher.generateKey());
    private final IntegrationRegistry registry = new IntegrationRegistry(
            ConnectorRegistry.of(List.of(new DuckDbConnectorProvider(), new TestingOneUserProvider())), cipher);
    private Path database;

    @BeforeEach
    void createWarehouse() throws SQLException {
        database = directory.resolve("warehouse.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE main.users (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("CREATE TABLE main.events (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("INSERT INTO main.users VALUES (TIMESTAMP '2026-01-01 00:00:00', 'u1', '{\"plan\":\"pro\"}')");
        }
        registry.addWorkspace(new Workspace("acme", ZoneId.of("Europe/Paris")));
        registry.addWorkspace(new Workspace("globex", ZoneId.of("America/New_York")));
        registry.addCredential(new Credential("acme-duck", "acme", "duckdb", Map.of("path", database.toString())));
    }

    @Test
    void createsADraftThatATestedActivationMakesActive() {
        RegisteredIntegration created = registry.create(users("users").build());

        assertThat(created.status()).isEqualTo(IntegrationStatus.DRAFT);
        assertThat(created.lastTest()).isEqualTo(TestOutcome.NOT_TESTED);
        assertThat(registry.active()).isEmpty();

        ConnectionTestResult result = registry.test("users");

        assertThat(result).isInstanceOfSatisfying(ConnectionTestResult.Passed.class,
                passed -> assertThat(passed.preview()).hasSize(1));
        assertThat(registry.get("users").orElseThrow().lastTest()).isEqualTo(TestOutcome.PASSED);
        assertThat(registry.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.DRAFT);
        assertThat(registry.activate("users").status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(registry.active()).extracting(ScheduledIntegration::name).containsExactly("users");
    }

    @Test
    void activationIsRefusedUntilATestPasses() {
        registry.create(users("users").table("main.missing").build());

        assertInvalid(() -> registry.activate("users"), "Integration 'users' cannot be activated: it has not passed a"
                + " connection test since it was created or its connection changed; test it first");

        ConnectionTestResult result = registry.test("users");

        assertThat(result.passed()).isFalse();
        assertThat(registry.get("users").orElseThrow().lastTest()).isEqualTo(TestOutcome.FAILED);
        assertThat(registry.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.DRAFT);
        assertInvalid(() -> registry.activate("users"), "Integration 'users' cannot be activated: its last connection"
                + " test failed; fix what the test reported and test it again");
        assertThat(registry.active()).isEmpty();
    }

    @Test
    void activeGivesOnlyActiveIntegrationsWithTheirSecretsAndTheWorkspaceZone() {
        activeUsers("users");
        registry.create(users("events").table("main.events").dataType(DataType.EVENTS).build());

        List<ScheduledIntegration> active = registry.active();

        assertThat(active).extracting(ScheduledIntegration::name).containsExactly("users");
        ScheduledIntegration users = active.get(0);
        ConnectorSettings settings = users.spec().connectorSettings();
        assertThat(settings.values()).containsEntry("path", database.toString()).containsEntry("readOnly", "true");
        assertThat(settings.secretKeys()).containsExactly("path");
        assertThat(settings.toString()).doesNotContain(database.toString());
        assertThat(users.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(users.schedule()).isEqualTo(Schedule.everyMinutes(15));
        assertThat(users.spec().dataType()).isEqualTo(DataType.ATTRIBUTES);
        assertThat(registry.find("users")).contains(users);
        assertThat(registry.find("events")).isEmpty();
    }

    @Test
    void aSecondIntegrationOnTheSameTableOfAWorkspaceIsRefusedNamingTheFirst() {
        registry.create(users("users").build());

        assertInvalid(() -> registry.create(users("users-again").table("MAIN.USERS").build()),
                "Integration 'users-again': workspace 'acme' already has integration 'users' on table main.users;"
                        + " one integration per source table or view in a workspace");

        registry.addCredential(new Credential("globex-duck", "globex", "duckdb", Map.of("path", database.toString())));
        assertThat(registry.create(users("globex-users").workspace("globex").credential("globex-duck").build()).status())
                .isEqualTo(IntegrationStatus.DRAFT);
    }

    @Test
    void refusesUnknownWorkspacesCredentialsAndConnectors() {
        assertInvalid(() -> registry.create(users("users").workspace("nowhere").build()),
                "Integration 'users': no workspace named 'nowhere'; add the workspace first");
        assertInvalid(() -> registry.create(users("users").credential("nothing").build()),
                "Integration 'users': no credential named 'nothing'; add the credential first");
        assertThatThrownBy(() -> registry.create(users("users").connector("oracle").build()))
                .isInstanceOfSatisfying(CdiException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.UNKNOWN_CONNECTOR))
                .hasMessageStartingWith("Integration 'users': No connector named 'oracle'; known connectors: duckdb, snowlike");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void refusesACredentialOfAnotherConnectorOrWorkspace() {
        registry.addCredential(new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "loader", "password", PASSWORD)));
        registry.addCredential(new Credential("globex-duck", "globex", "duckdb", Map.of("path", database.toString())));

        assertInvalid(() -> registry.create(users("users").credential("acme-snow").build()),
                "Integration 'users' uses connector 'duckdb' but credential 'acme-snow' is for connector 'snowlike'");
        assertInvalid(() -> registry.create(users("users").credential("globex-duck").build()),
                "Integration 'users' is in workspace 'acme' but credential 'globex-duck' belongs to workspace 'globex'");
    }

    @Test
    void refusesSecretsInConnectionSettingsAndSettingsGivenTwice() {
        registry.addCredential(new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "loader", "password", PASSWORD)));

        assertInvalid(() -> registry.create(snowlike("snow", "acme", "acme-snow")
                        .connectionSettings(Map.of("password", PASSWORD)).build()),
                "Integration 'snow': connection setting(s) [password] are secret; keep them in the credential, not in"
                        + " the connection settings");
        assertInvalid(() -> registry.create(users("users").connectionSettings(Map.of("path", "/elsewhere")).build()),
                "Integration 'users': setting(s) [path] are given both by the connection settings and by credential"
                        + " 'acme-duck'; give each once");
    }

    @Test
    void theConnectorsOwnSettingChecksRunAtCreation() {
        assertThatThrownBy(() -> registry.create(users("users").connectionSettings(Map.of("colour", "blue")).build()))
                .isInstanceOf(CdiException.class)
                .hasMessageStartingWith("Integration 'users': Unknown duckdb connection setting(s) [colour]");
    }

    @Test
    void aOneUserPerWorkspaceConnectorsUserServesOnlyOneWorkspace() {
        registry.addCredential(new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "loader", "password", PASSWORD)));
        registry.addCredential(new Credential("globex-snow", "globex", SNOWLIKE, Map.of("user", "LOADER", "password", "x")));
        registry.addCredential(new Credential("globex-own", "globex", SNOWLIKE, Map.of("user", "globex_loader", "password", "y")));
        registry.create(snowlike("acme-users", "acme", "acme-snow").build());

        assertThat(registry.create(snowlike("acme-events", "acme", "acme-snow").table("main.events").build()).status())
                .isEqualTo(IntegrationStatus.DRAFT);
        assertThatThrownBy(() -> registry.create(snowlike("globex-users", "globex", "globex-snow").build()))
                .isInstanceOf(CdiException.class)
                .hasMessage("Integration 'globex-users': the snowlike user of credential 'globex-snow' already serves"
                        + " workspace 'acme' (integration 'acme-events'); a snowlike user may serve only one workspace,"
                        + " so use another user for workspace 'globex'")
                .message().doesNotContainIgnoringCase("loader");
        assertThat(registry.create(snowlike("globex-users", "globex", "globex-own").build()).status())
                .isEqualTo(IntegrationStatus.DRAFT);
        assertInvalid(() -> registry.update("globex-users",
                        snowlike("globex-users", "globex", "globex-snow").build()),
                "Integration 'globex-users': the snowlike user of credential 'globex-snow' already serves workspace"
                        + " 'acme' (integration 'acme-events'); a snowlike user may serve only one workspace, so use"
                        + " another user for workspace 'globex'");
    }

    @Test
    void aUserIsNotLimitedByConnectorsWithoutTheCapability() {
        registry.addCredential(new Credential("globex-duck", "globex", "duckdb",
                Map.of("path", database.toString())));

        registry.create(users("acme-users").connectionSettings(Map.of()).build());
        assertThat(registry.create(users("globex-users").workspace("globex").credential("globex-duck")
                .connectionSettings(Map.of()).build()).status()).isEqualTo(IntegrationStatus.DRAFT);
    }

    @Test
    void aCredentialIsStoredOnceEncryptedAndSharedByIntegrations() {
        registry.addCredential(new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "loader", "password", PASSWORD)));
        registry.create(snowlike("one", "acme", "acme-snow").build());
        registry.create(snowlike("two", "acme", "acme-snow").table("main.events").build());

        EncryptedCredential stored = registry.encryptedCredential("acme-snow").orElseThrow();

        assertThat(stored.encryptedValues()).containsOnlyKeys("user", "password");
        assertThat(stored.encryptedValues().get("password")).isNotEqualTo(PASSWORD).doesNotContain(PASSWORD);
        assertThat(stored.decrypt(cipher).secretValues()).containsEntry("password", PASSWORD).containsEntry("user", "loader");
        assertThat(stored.toString()).doesNotContain(PASSWORD).doesNotContain(stored.encryptedValues().get("password"));
        assertThat(registry.list()).extracting(integration -> integration.definition().credential())
                .containsExactly("acme-snow", "acme-snow");
        assertInvalid(() -> registry.addCredential(new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "other"))),
                "Credential 'acme-snow' already exists; choose another name");
    }

    @Test
    void secretsNeverShowInToStringAndAWrongKeyFailsClearly() {
        Credential credential = new Credential("acme-snow", "acme", SNOWLIKE, Map.of("user", "loader", "password", PASSWORD));
        registry.addCredential(credential);
        activeUsers("users");

        assertThat(credential.toString())
                .isEqualTo("Credential[name=acme-snow, workspace=acme, connector=snowlike, secretKeys=[password, user]]");
        assertThat(registry.active().toString()).doesNotContain(database.toString());
        assertThat(registry.list().toString()).doesNotContain(database.toString());
        EncryptedCredential stored = registry.encryptedCredential("acme-snow").orElseThrow();
        SecretCipher otherKey = SecretCipher.fromKey(SecretCipher.generateKey());
        assertThatThrownBy(() -> stored.decrypt(otherKey))
                .isInstanceOf(CdiException.class)
                .hasMessageContaining("Cannot decrypt credential 'acme-snow' setting '")
                .hasMessageContaining("the secret key is not the one it was encrypted with")
                .message().doesNotContain(PASSWORD).doesNotContain("loader");
    }

    @Test
    void aCredentialUsedByActiveIntegrationsCannotBeDeleted() {
        activeUsers("users");
        registry.create(users("events").table("main.events").dataType(DataType.EVENTS).build());
        assertThat(registry.test("events").passed()).isTrue();
        registry.activate("events");

        assertInvalid(() -> registry.deleteCredential("acme-duck"), "Credential 'acme-duck' is used by active"
                + " integration(s) [events, users]; pause them or give them another credential before deleting it");
        registry.pause("events");
        assertInvalid(() -> registry.deleteCredential("acme-duck"), "Credential 'acme-duck' is used by active"
                + " integration(s) [users]; pause them or give them another credential before deleting it");
        registry.pause("users");

        registry.deleteCredential("acme-duck");

        assertThat(registry.encryptedCredential("acme-duck")).isEmpty();
        assertThat(registry.list()).extracting(RegisteredIntegration::status)
                .containsOnly(IntegrationStatus.DRAFT);
        assertInvalid(() -> registry.resume("users"),
                "Integration 'users' is a draft, so it cannot be resumed; test and activate it");
        ConnectionTestResult result = registry.test("users");
        assertThat(result).isInstanceOfSatisfying(ConnectionTestResult.Failed.class, failed -> assertThat(
                failed.error().message()).contains("credential 'acme-duck' was deleted"));
        assertInvalid(() -> registry.deleteCredential("acme-duck"), "No credential named 'acme-duck'");
    }

    @Test
    void anUnusedCredentialCanBeDeleted() {
        registry.addCredential(new Credential("spare", "acme", "duckdb", Map.of("path", database.toString())));
        activeUsers("users");

        registry.deleteCredential("spare");

        assertThat(registry.encryptedCredential("spare")).isEmpty();
        assertThat(registry.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void pauseAndResume() {
        registry.create(users("users").build());
        assertInvalid(() -> registry.pause("users"), "Integration 'users' is a draft and does not run, so it cannot be paused");
        registry.test("users");
        registry.activate("users");

        assertThat(registry.pause("users").status()).isEqualTo(IntegrationStatus.PAUSED);
        assertThat(registry.active()).isEmpty();
        assertThat(registry.find("users")).isEmpty();
        assertThat(registry.resume("users").status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(registry.active()).hasSize(1);
        assertThat(registry.resume("users").status()).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void theDataTypeCannotChange() {
        registry.create(users("users").build());

        assertInvalid(() -> registry.update("users", users("users").dataType(DataType.EVENTS).build()),
                "Integration 'users' syncs attributes; its data type cannot change to events. Create a new"
                        + " integration for events");
        assertThat(registry.get("users").orElseThrow().definition().dataType()).isEqualTo(DataType.ATTRIBUTES);
    }

    @Test
    void changingScheduleNotificationsOrOptionsKeepsTheStatus() {
        activeUsers("users");
        IntegrationDefinition changed = users("users")
                .schedule(Schedule.dailyAt(LocalTime.of(2, 30)))
                .notifications(Optional.of(NotificationPreferences.builder().addContactEmail("ops@acme.example").build()))
                .options(SyncOptions.builder().batchSize(50).build())
                .build();

        RegisteredIntegration updated = registry.update("users", changed);

        assertThat(updated.status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(updated.lastTest()).isEqualTo(TestOutcome.PASSED);
        assertThat(registry.active().get(0).schedule()).isEqualTo(Schedule.dailyAt(LocalTime.of(2, 30)));
        assertThat(registry.active().get(0).notifications()).isPresent();
    }

    @Test
    void changingTheConnectionTableOrCredentialSendsItBackToDraft() {
        registry.addCredential(new Credential("acme-duck-2", "acme", "duckdb", Map.of("path", database.toString())));
        activeUsers("users");

        RegisteredIntegration retabled = registry.update("users", users("users").table("main.events").build());

        assertThat(retabled.status()).isEqualTo(IntegrationStatus.DRAFT);
        assertThat(retabled.lastTest()).isEqualTo(TestOutcome.NOT_TESTED);
        assertThat(registry.active()).isEmpty();
        assertThat(registry.test("users").passed()).isTrue();
        registry.activate("users");

        assertThat(registry.update("users", users("users").table("main.events").credential("acme-duck-2").build())
                .status()).isEqualTo(IntegrationStatus.DRAFT);
        registry.test("users");
        registry.activate("users");
        assertThat(registry.update("users", users("users").table("main.events").credential("acme-duck-2")
                .connectionSettings(Map.of("readOnly", "false")).build()).status()).isEqualTo(IntegrationStatus.DRAFT);
    }

    @Test
    void updateChecksTheRulesOfCreationAndRefusesARename() {
        registry.create(users("users").build());
        registry.create(users("events").table("main.events").build());

        assertInvalid(() -> registry.update("events", users("events").build()),
                "Integration 'events': workspace 'acme' already has integration 'users' on table main.users;"
                        + " one integration per source table or view in a workspace");
        assertInvalid(() -> registry.update("events", users("renamed").table("main.events").build()),
                "Integration 'events' cannot be renamed to 'renamed'; create a new integration instead");
        assertThat(registry.update("users", users("users").build()).status()).isEqualTo(IntegrationStatus.DRAFT);
    }

    @Test
    void deleteGetAndList() {
        registry.create(users("users").build());
        registry.create(users("events").table("main.events").build());

        assertThat(registry.list()).extracting(RegisteredIntegration::name).containsExactly("events", "users");
        assertInvalid(() -> registry.create(users("users").table("main.other").build()),
                "Integration 'users' already exists; update it or choose another name");

        registry.delete("users");

        assertThat(registry.get("users")).isEmpty();
        assertThat(registry.list()).extracting(RegisteredIntegration::name).containsExactly("events");
        assertInvalid(() -> registry.delete("users"), "No integration named 'users'");
        assertInvalid(() -> registry.test("users"), "No integration named 'users'");
        assertInvalid(() -> registry.activate("users"), "No integration named 'users'");
        assertThat(registry.create(users("users").build()).status()).isEqualTo(IntegrationStatus.DRAFT);
    }

    @Test
    void workspacesAndCredentialsAreChecked() {
        assertInvalid(() -> registry.addWorkspace(new Workspace("acme", ZoneId.of("UTC"))), "Workspace 'acme' already exists");
        assertInvalid(() -> new Workspace("Acme!", ZoneId.of("UTC")),
                "Workspace name 'Acme!' must match [a-z][a-z0-9_-]* (at most 128 characters)");
        assertThat(registry.workspace("globex").orElseThrow().zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertInvalid(() -> registry.addCredential(new Credential("c", "nowhere", "duckdb", Map.of("path", "p"))),
                "Credential 'c': no workspace named 'nowhere'; add the workspace first");
        assertInvalid(() -> new Credential("c", "acme", "duckdb", Map.of()),
                "Credential 'c' holds no secret value; give at least one setting");
        assertThatThrownBy(() -> registry.addCredential(new Credential("c", "acme", "oracle", Map.of("password", "p"))))
                .isInstanceOf(CdiException.class).hasMessageStartingWith("Credential 'c': No connector named 'oracle'");
        assertInvalid(() -> IntegrationDefinition.builder().name("users").build(),
                "IntegrationDefinition 'users': workspace is not set");
    }

    private void activeUsers(String name) {
        registry.create(users(name).build());
        assertThat(registry.test(name).passed()).isTrue();
        registry.activate(name);
    }

    private static IntegrationDefinition.Builder users(String name) {
        return IntegrationDefinition.builder()
                .name(name)
                .workspace("acme")
                .connector("duckdb")
                .credential("acme-duck")
                .connectionSettings(Map.of("readOnly", "true"))
                .table("main.users")
                .dataType(DataType.ATTRIBUTES)
                .schedule(Schedule.everyMinutes(15));
    }

    private static IntegrationDefinition.Builder snowlike(String name, String workspace, String credential) {
        return IntegrationDefinition.builder()
                .name(name)
                .workspace(workspace)
                .connector(SNOWLIKE)
                .credential(credential)
                .connectionSettings(Map.of("account", "xy12345"))
                .table("main.users")
                .dataType(DataType.ATTRIBUTES)
                .schedule(Schedule.hourlyAt(0));
    }

    private static void assertInvalid(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(CdiException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage(message);
    }

    /** A connector like Snowflake: one warehouse user per workspace, a secret password; it never connects. */
    private static final class TestingOneUserProvider implements SourceConnectorProvider {
        @Override
        public String name() {
            return SNOWLIKE;
        }

        @Override
        public Set<ConnectorCapability> capabilities() {
            return Set.of(ConnectorCapability.ONE_USER_PER_WORKSPACE);
        }

        @Override
        public Set<String> secretSettingKeys() {
            return Set.of("password");
        }

        @Override
        public SourceConnector open(ConnectorSettings settings) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "The test connector does not connect");
        }
    }
}
