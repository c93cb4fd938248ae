package dev.cdi.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SyncOptions;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.registry.RegisteredIntegration.TestOutcome;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.core.state.TestingPostgres;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry written through to a {@link RegistryStore}: PostgreSQL (embedded) and in memory, over real DuckDB. */
class TestRegistryPersistence {
    @TempDir
    Path directory;

    private final ConnectorRegistry connectors = ConnectorRegistry.of(List.of(new DuckDbConnectorProvider()));
    private final SecretCipher cipher = SecretCipher.fromKey(SecretCipher.generateKey());
    private final DataSource dataSource = TestingPostgres.newDataSource();
    private final String schema = TestingPostgres.newSchema();
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
    }

    @Test
    void aNewRegistryOverTheSameDatabaseFindsEverything() {
        IntegrationRegistry first = postgresRegistry(cipher);
        populate(first);
        RegisteredIntegration users = first.get("users").orElseThrow();
        RegisteredIntegration events = first.get("events").orElseThrow();

        IntegrationRegistry second = postgresRegistry(cipher);

        assertThat(second.workspace("acme")).contains(new Workspace("acme", ZoneId.of("Europe/Paris")));
        assertThat(second.list()).containsExactly(events, users);
        assertThat(second.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(second.get("users").orElseThrow().lastTest()).isEqualTo(TestOutcome.PASSED);
        assertThat(second.get("events").orElseThrow().status()).isEqualTo(IntegrationStatus.DRAFT);
        assertThat(second.get("events").orElseThrow().lastTest()).isEqualTo(TestOutcome.NOT_TESTED);
        assertThat(second.encryptedCredential("acme-duck").orElseThrow().decrypt(cipher).secretValues())
                .isEqualTo(Map.of("path", database.toString()));
        ScheduledIntegration scheduled = second.find("users").orElseThrow();
        assertThat(scheduled.spec().connectorSettings().get("path")).contains(database.toString());
        assertThat(scheduled.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(second.test("users")).isInstanceOf(ConnectionTestResult.Passed.class);
    }

    @Test
    void anotherKeyCannotDecryptTheStoredCredential() {
        populate(postgresRegistry(cipher));

        IntegrationRegistry wrongKey = postgresRegistry(SecretCipher.fromKey(SecretCipher.generateKey()));

        assertThat(wrongKey.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThatThrownBy(wrongKey::active)
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("credential 'acme-duck'")
                .hasMessageNotContaining(database.toString());
    }

    @Test
    void pauseDeleteAndCredentialDeletionPersist() {
        IntegrationRegistry first = postgresRegistry(cipher);
        populate(first);

        first.pause("users");
        first.delete("events");
        IntegrationRegistry second = postgresRegistry(cipher);

        assertThat(second.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.PAUSED);
        assertThat(second.get("events")).isEmpty();
        assertThat(second.active()).isEmpty();

        second.deleteCredential("acme-duck");
        IntegrationRegistry third = postgresRegistry(cipher);

        assertThat(third.encryptedCredential("acme-duck")).isEmpty();
        assertThat(third.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.DRAFT);
        assertThat(third.get("users").orElseThrow().lastTest()).isEqualTo(TestOutcome.NOT_TESTED);
    }

    @Test
    void theDatabaseHoldsOnlyCiphertext() throws SQLException {
        populate(postgresRegistry(cipher));

        List<String> stored = query("SELECT encrypted_values::text FROM " + schema + ".credential");
        List<String> definitions = query("SELECT definition FROM " + schema + ".integration");

        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).doesNotContain(database.toString()).contains("\"path\"").contains("v1:");
        assertThat(definitions).hasSize(2).noneMatch(text -> text.contains(database.toString()));
        assertThat(query("SELECT status || '/' || last_test FROM " + schema + ".integration ORDER BY name"))
                .containsExactly("DRAFT/NOT_TESTED", "ACTIVE/PASSED");
    }

    @Test
    void theInMemoryStoreServesANewRegistryToo() {
        InMemoryRegistryStore store = new InMemoryRegistryStore();
        IntegrationRegistry first = new IntegrationRegistry(connectors, cipher, store);
        populate(first);

        IntegrationRegistry second = new IntegrationRegistry(connectors, cipher, store);

        assertThat(second.list()).isEqualTo(first.list());
        assertThat(store.loadRegistry().credentials()).singleElement()
                .satisfies(credential -> assertThat(credential.encryptedValues().get("path")).startsWith("v1:"));
    }

    @Test
    void aStoreFailureLeavesTheRegistryUnchanged() {
        FailingStore store = new FailingStore();
        IntegrationRegistry registry = new IntegrationRegistry(connectors, cipher, store);
        populate(registry);

        store.failing = true;

        assertThatThrownBy(() -> registry.pause("users")).isInstanceOf(CdiException.class);
        assertThatThrownBy(() -> registry.create(users("other").table("main.other").build()))
                .isInstanceOf(CdiException.class);
        assertThat(registry.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(registry.get("other")).isEmpty();
        assertThat(store.loadRegistry().integrations()).isEqualTo(registry.list());
    }

    @Test
    void twoRegistriesOverOnePostgresSeeEachOthersChanges() {
        IntegrationRegistry first = postgresRegistry(cipher);
        IntegrationRegistry second = postgresRegistry(cipher);

        populate(first);

        assertThat(second.list()).isEqualTo(first.list());
        assertThat(second.find("users")).isPresent();
        first.pause("users");
        assertThat(second.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.PAUSED);
        assertThat(second.active()).isEmpty();
        second.resume("users");
        assertThat(first.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
        second.delete("events");
        assertThat(first.get("events")).isEmpty();
        assertThatThrownBy(() -> first.addWorkspace(new Workspace("acme", ZoneId.of("UTC"))))
                .hasMessageContaining("Workspace 'acme' already exists");
    }

    @Test
    void aConnectionTestInOneInstanceDoesNotUndoAPauseMadeInAnother() {
        IntegrationRegistry first = postgresRegistry(cipher);
        IntegrationRegistry second = postgresRegistry(cipher);
        populate(first);

        first.pause("users");
        assertThat(second.test("users")).isInstanceOf(ConnectionTestResult.Passed.class);

        assertThat(first.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.PAUSED);
        assertThat(second.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.PAUSED);
    }

    @Test
    void aPauseMadeWhileATestRunsIsKeptWithTheTestsOutcome() throws SQLException {
        IntegrationRegistry first = postgresRegistry(cipher);
        InterleavingStore secondStore = interleavingStore();
        IntegrationRegistry second = new IntegrationRegistry(connectors, cipher, secondStore);
        populate(first);
        renameUsersTable("users_gone");
        assertThat(first.test("users")).isInstanceOf(ConnectionTestResult.Failed.class);
        renameUsersTable("users");

        secondStore.beforeNextCommit(() -> first.pause("users"));
        assertThat(second.test("users")).isInstanceOf(ConnectionTestResult.Passed.class);

        RegisteredIntegration users = first.get("users").orElseThrow();
        assertThat(users.status()).isEqualTo(IntegrationStatus.PAUSED);
        assertThat(users.lastTest()).isEqualTo(TestOutcome.PASSED);
        assertThat(secondStore.commitsRefused).isEqualTo(1);
    }

    @Test
    void aTestOutcomeIsDroppedWhenTheConnectionChangedWhileItRan() {
        IntegrationRegistry first = postgresRegistry(cipher);
        InterleavingStore secondStore = interleavingStore();
        IntegrationRegistry second = new IntegrationRegistry(connectors, cipher, secondStore);
        populate(first);
        first.delete("events");
        RegisteredIntegration before = first.update("users", users("users").table("main.events").build());
        assertThat(before.lastTest()).isEqualTo(TestOutcome.NOT_TESTED);

        secondStore.beforeNextCommit(() -> first.update("users", users("users").table("main.missing").build()));
        assertThat(second.test("users")).isInstanceOf(ConnectionTestResult.Passed.class);

        RegisteredIntegration users = second.get("users").orElseThrow();
        assertThat(users.definition().table().table()).isEqualTo("missing");
        assertThat(users.lastTest()).isEqualTo(TestOutcome.NOT_TESTED);
        assertThatThrownBy(() -> second.activate("users")).hasMessageContaining("has not passed a connection test");
    }

    @Test
    void anUpdateDecidedOnAStaleReadIsRefused() {
        IntegrationRegistry first = postgresRegistry(cipher);
        IntegrationRegistry second = postgresRegistry(cipher);
        populate(first);
        RegisteredIntegration read = first.get("users").orElseThrow();

        RegisteredIntegration changed = second.update("users", read.version(),
                users("users").schedule(Schedule.parse("every 15 minutes")).build());
        assertThat(changed.version()).isGreaterThan(read.version());

        assertThatThrownBy(() -> first.update("users", read.version(),
                users("users").schedule(Schedule.parse("every 45 minutes")).build()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONCURRENT_CHANGE))
                .hasMessageContaining("Integration 'users' was changed since version " + read.version());
        assertThat(first.get("users").orElseThrow().definition().schedule()).isEqualTo(Schedule.parse("every 15 minutes"));
        assertThat(first.update("users", changed.version(),
                users("users").schedule(Schedule.parse("every 45 minutes")).build()).status())
                .isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void twoInstancesCreatingOnOneTableLeaveOneIntegration() {
        IntegrationRegistry first = postgresRegistry(cipher);
        InterleavingStore secondStore = interleavingStore();
        IntegrationRegistry second = new IntegrationRegistry(connectors, cipher, secondStore);
        populate(first);
        first.delete("events");

        secondStore.beforeNextCommit(() -> first.create(users("events-a").table("main.events").build()));

        assertThatThrownBy(() -> second.create(users("events-b").table("main.events").build()))
                .hasMessageContaining("already has integration 'events-a'");
        assertThat(first.list()).extracting(RegisteredIntegration::name).containsExactly("events-a", "users");
    }

    @Test
    void aCredentialIsNotDeletedUnderAnIntegrationActivatedMeanwhile() {
        IntegrationRegistry first = postgresRegistry(cipher);
        InterleavingStore secondStore = interleavingStore();
        IntegrationRegistry second = new IntegrationRegistry(connectors, cipher, secondStore);
        populate(first);
        first.pause("users");

        secondStore.beforeNextCommit(() -> first.resume("users"));

        assertThatThrownBy(() -> second.deleteCredential("acme-duck"))
                .hasMessageContaining("is used by active integration(s) [users]");
        assertThat(first.encryptedCredential("acme-duck")).isPresent();
        assertThat(first.get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void aVersionTwoDatabaseIsMigratedWithItsIntegrations() throws SQLException {
        populate(postgresRegistry(cipher));
        // Back to the version-2 layout, as an older CDI left it.
        execute("DROP TABLE " + schema + ".registry_revision");
        execute("ALTER TABLE " + schema + ".integration DROP COLUMN version");
        execute("DELETE FROM " + schema + ".schema_version WHERE version = 3");

        IntegrationRegistry migrated = postgresRegistry(cipher);

        assertThat(migrated.list()).extracting(RegisteredIntegration::version).containsExactly(1L, 1L);
        RegisteredIntegration paused = migrated.pause("users");
        assertThat(paused.version()).isEqualTo(2L);
        assertThat(postgresRegistry(cipher).get("users")).contains(paused);
    }

    private void renameUsersTable(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE main." + (name.equals("users") ? "users_gone" : "users") + " RENAME TO "
                    + name);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private InterleavingStore interleavingStore() {
        return new InterleavingStore(new PostgresStateStore(TestingPostgres.newDataSource(), schema));
    }

    private IntegrationRegistry postgresRegistry(SecretCipher key) {
        // Each registry gets its own data source and store, as a restarted process would.
        return new IntegrationRegistry(connectors, key, new PostgresStateStore(TestingPostgres.newDataSource(), schema));
    }

    private void populate(IntegrationRegistry registry) {
        registry.addWorkspace(new Workspace("acme", ZoneId.of("Europe/Paris")));
        registry.addCredential(new Credential("acme-duck", "acme", "duckdb", Map.of("path", database.toString())));
        registry.create(users("users")
                .notifications(Optional.of(NotificationPreferences.builder()
                        .addContactEmail("ops@example.com")
                        .notifyRowErrors(true)
                        .rowErrorThresholdPercent(5)
                        .build()))
                .options(SyncOptions.builder()
                        .settleLag(Duration.ofMinutes(2))
                        .lookback(Duration.ofSeconds(30))
                        .batchSize(250)
                        .build())
                .build());
        registry.create(users("events").table("main.events").schedule(Schedule.parse("every 30 minutes")).build());
        assertThat(registry.test("users")).isInstanceOf(ConnectionTestResult.Passed.class);
        assertThat(registry.activate("users").status()).isEqualTo(IntegrationStatus.ACTIVE);
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
                .schedule(Schedule.parse("daily at 02:30"));
    }

    private List<String> query(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** A store that lets another registry commit just before this one's next commit: a deterministic race. */
    private static final class InterleavingStore implements RegistryStore {
        private final RegistryStore delegate;
        private Runnable beforeNextCommit = () -> { };
        int commitsRefused;

        InterleavingStore(RegistryStore delegate) {
            this.delegate = delegate;
        }

        void beforeNextCommit(Runnable action) {
            beforeNextCommit = action;
        }

        @Override
        public long registryRevision() {
            return delegate.registryRevision();
        }

        @Override
        public Snapshot loadRegistry() {
            return delegate.loadRegistry();
        }

        @Override
        public boolean commitRegistry(long expectedRevision, List<RegistryChange> changes) {
            Runnable action = beforeNextCommit;
            beforeNextCommit = () -> { };
            action.run();
            boolean committed = delegate.commitRegistry(expectedRevision, changes);
            if (!committed) {
                commitsRefused++;
            }
            return committed;
        }
    }

    /** An in-memory store whose writes fail on demand. */
    private static final class FailingStore implements RegistryStore {
        private final InMemoryRegistryStore delegate = new InMemoryRegistryStore();
        volatile boolean failing;

        @Override
        public long registryRevision() {
            return delegate.registryRevision();
        }

        @Override
        public Snapshot loadRegistry() {
            return delegate.loadRegistry();
        }

        @Override
        public boolean commitRegistry(long expectedRevision, List<RegistryChange> changes) {
            if (failing) {
                throw new CdiException(ErrorCode.STATE_STORE_FAILED, "The store is down");
            }
            return delegate.commitRegistry(expectedRevision, changes);
        }
    }
}
