package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RunStatus;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.InMemoryRunHistory;
import dev.cdi.core.lease.InMemoryLeaseStore;
import dev.cdi.core.registry.Credential;
import dev.cdi.core.registry.IntegrationDefinition;
import dev.cdi.core.registry.IntegrationRegistry;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.registry.Workspace;
import dev.cdi.core.schedule.Schedule;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.scheduler.Scheduler;
import dev.cdi.core.scheduler.TriggerResult;
import dev.cdi.core.service.IntegrationOverview;
import dev.cdi.core.service.SyncService;
import dev.cdi.core.state.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The REST-like operations over a registry, a scheduler and the run history, end to end on a fake warehouse. */
class SyncServiceTest {

    @Test
    void listsIntegrationsTriggersASyncAndListsItsRuns() throws Exception {
        try (FakeWarehouse warehouse = FakeWarehouse.create()) {
            FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
            users.row().updatedAt(Instant.parse("2026-01-02T03:04:05.123456Z")).externalId("u1").payload("{}").insert();
            ConnectorRegistry connectors = ConnectorRegistry.discover();
            IntegrationRegistry registry = new IntegrationRegistry(connectors, SecretCipher.fromKey(SecretCipher.generateKey()));
            registry.addWorkspace(new Workspace("acme", ZoneId.of("America/New_York")));
            registry.addCredential(new Credential("fake-login", "acme", FakeWarehouse.CONNECTOR_NAME, Map.of("token", "secret")));
            registry.create(IntegrationDefinition.builder().name("users").workspace("acme")
                    .connector(FakeWarehouse.CONNECTOR_NAME).credential("fake-login")
                    .connectionSettings(Map.of("warehouse", warehouse.id())).table("main.users")
                    .dataType(DataType.ATTRIBUTES).schedule(Schedule.parse("daily at 02:30")).build());

            InMemoryStateStore state = new InMemoryStateStore();
            InMemoryRunHistory history = new InMemoryRunHistory();
            SyncEngine engine = SyncEngine.builder().stateStore(state).connectors(connectors).build();
            try (IntegrationRunner runner = new IntegrationRunner(engine, new InMemoryLeaseStore(), history,
                    Optional.empty(), any -> new RecordingSink(), Duration.ofMinutes(2), Clock.systemUTC());
                    Scheduler scheduler = new Scheduler(registry, runner, 2, Duration.ofSeconds(1), Clock.systemUTC())) {
                SyncService service = new SyncService(registry, scheduler, history, state, Clock.systemUTC());

                assertThat(service.listIntegrations()).singleElement().satisfies(draft -> {
                    assertThat(draft.status()).isEqualTo(IntegrationStatus.DRAFT);
                    assertThat(draft.nextRun()).isEmpty();
                });
                assertThat(service.triggerSync("users")).as("drafts do not run").isEqualTo(TriggerResult.NOT_FOUND);

                assertThat(registry.test("users").passed()).isTrue();
                registry.activate("users");
                assertThat(service.triggerSync("users")).isEqualTo(TriggerResult.ACCEPTED);
                TestingAwait.until("the triggered run has ended", () -> !service.listRuns("users", 5).isEmpty()
                        && service.listRuns("users", 5).get(0).status() != RunStatus.RUNNING);

                assertThat(service.listRuns("users", 5)).singleElement().satisfies(run -> {
                    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
                    assertThat(run.rowsSynced()).isEqualTo(1);
                });
                IntegrationOverview overview = service.listIntegrations().get(0);
                assertThat(overview.status()).isEqualTo(IntegrationStatus.ACTIVE);
                assertThat(overview.lastRun()).isPresent();
                assertThat(overview.lastUpdatedAtSynced()).contains(Instant.parse("2026-01-02T03:04:05.123456Z"));
                assertThat(overview.nextRun()).hasValueSatisfying(next -> assertThat(next).isAfter(Instant.now()));
                assertThat(service.triggerSync("nobody")).isEqualTo(TriggerResult.NOT_FOUND);
            }
        }
    }
}
