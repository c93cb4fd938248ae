package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.DataType;
import dev.cdi.api.RunStatus;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.registry.Credential;
import dev.cdi.core.registry.IntegrationDefinition;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.registry.Workspace;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.TriggerResult;
import dev.cdi.core.service.CdiService;
import dev.cdi.core.state.PostgresStateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one-object service: built in a few lines, one registry for every instance over a shared store. */
@ExtendWith(FakeWarehouseExtension.class)
class CdiServiceTest {
    private static final Instant UPDATED_AT = Instant.parse("2026-01-02T03:04:05.123456Z");

    private final SecretCipher key = SecretCipher.fromKey(SecretCipher.generateKey());

    @Test
    void aServiceInMemoryRegistersTestsActivatesAndSyncs(FakeWarehouse warehouse) throws Exception {
        usersTable(warehouse);
        RecordingSink sink = new RecordingSink();
        try (CdiService cdi = CdiService.builder().secretKey(key).sinkFactory(integration -> sink).build()) {
            cdi.start();
            register(cdi, warehouse);

            assertThat(cdi.api().triggerSync("users")).isEqualTo(TriggerResult.ACCEPTED);
            TestingAwait.until("the run ended", () -> ended(cdi.api().listRuns("users", 1)));

            assertThat(cdi.api().listRuns("users", 1)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCESS));
            assertThat(sink.rows()).hasSize(1);
            assertThat(cdi.api().listIntegrations()).singleElement()
                    .satisfies(overview -> assertThat(overview.lastUpdatedAtSynced()).contains(UPDATED_AT));
        }
    }

    @Test
    void twoInstancesOverOnePostgresShareTheRegistryAndTheRuns(FakeWarehouse warehouse) throws Exception {
        usersTable(warehouse);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
                CdiService first = service(postgres);
                CdiService second = service(postgres)) {
            register(first, warehouse);

            assertThat(second.registry().get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.ACTIVE);
            assertThat(second.api().triggerSync("users")).isEqualTo(TriggerResult.ACCEPTED);
            TestingAwait.until("the run ended", () -> ended(first.api().listRuns("users", 1)));
            assertThat(first.api().listRuns("users", 1).get(0).status()).isEqualTo(RunStatus.SUCCESS);

            second.registry().pause("users");
            assertThat(first.registry().get("users").orElseThrow().status()).isEqualTo(IntegrationStatus.PAUSED);
            assertThat(first.api().triggerSync("users")).as("paused in the other instance").isEqualTo(TriggerResult.NOT_FOUND);
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    @Test
    void refusesToBuildWithoutAKeyOrASink() {
        assertThatThrownBy(() -> CdiService.builder().sinkFactory(integration -> new RecordingSink()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secretKey is not set");
        assertThatThrownBy(() -> CdiService.builder().secretKey(key).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sinkFactory is not set");
    }

    @Test
    void aClosedServiceDoesNotStartAgain() {
        CdiService cdi = CdiService.builder().secretKey(key).sinkFactory(integration -> new RecordingSink()).build();
        cdi.start();
        cdi.start();
        cdi.close();
        cdi.close();

        assertThatThrownBy(cdi::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private CdiService service(EmbeddedPostgres postgres) {
        return CdiService.builder()
                .store(new PostgresStateStore(postgres.getPostgresDatabase(), "cdi_shared"))
                .secretKey(key)
                .sinkFactory(integration -> new RecordingSink())
                .build();
    }

    private static void usersTable(FakeWarehouse warehouse) {
        warehouse.createTable("main.users", DataType.ATTRIBUTES)
                .row().updatedAt(UPDATED_AT).externalId("u1").payload("{\"plan\":\"pro\"}").insert();
    }

    private static void register(CdiService cdi, FakeWarehouse warehouse) {
        cdi.registry().addWorkspace(new Workspace("acme", ZoneId.of("Europe/Paris")));
        cdi.registry().addCredential(new Credential("fake-login", "acme", FakeWarehouse.CONNECTOR_NAME,
                Map.of("token", "secret")));
        cdi.registry().create(IntegrationDefinition.builder().name("users").workspace("acme")
                .connector(FakeWarehouse.CONNECTOR_NAME).credential("fake-login")
                .connectionSettings(Map.of("warehouse", warehouse.id())).table("main.users")
                .dataType(DataType.ATTRIBUTES).schedule(Schedule.parse("daily at 02:30")).build());
        assertThat(cdi.registry().test("users").passed()).isTrue();
        cdi.registry().activate("users");
    }

    private static boolean ended(List<RunSummary> runs) {
        return !runs.isEmpty() && runs.get(0).status() != RunStatus.RUNNING;
    }
}
