package dev.cdi.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunStatus;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.RegisteredIntegration;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.service.CdiService;
import dev.cdi.micrometer.MicrometerRunListener;
import dev.cdi.testkit.FakeWarehouse;
import dev.cdi.testkit.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's conditions, its property binding, and its health, on the testkit's fake warehouse. */
class CdiAutoConfigurationTest {
    private static final String KEY = Base64.getEncoder().encodeToString(SecretCipher.generateKey());

    private FakeWarehouse warehouse;
    private ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        warehouse = FakeWarehouse.create();
        warehouse.createTable("main.users", DataType.ATTRIBUTES)
                .row().updatedAt(Instant.parse("2026-01-01T00:00:00Z")).externalId("u1").payload("{}").insert();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CdiAutoConfiguration.class))
                .withPropertyValues("cdi.secret-key=" + KEY);
    }

    @AfterEach
    void tearDown() {
        warehouse.close();
    }

    @Test
    void withoutIntegrationsTheServiceStartsWithHealthAndInfoButNoMetrics() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CdiService.class).hasSingleBean(CdiLifecycle.class)
                    .hasSingleBean(CdiHealthIndicator.class).hasSingleBean(CdiInfoContributor.class)
                    .doesNotHaveBean(MicrometerRunListener.class);
            assertThat(context.getBean(CdiLifecycle.class).isRunning()).isTrue();
            assertThat(context.getBean(CdiHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void aMeterRegistryBringsTheMicrometerListener() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(MicrometerRunListener.class));
    }

    @Test
    void turnedOffWithCdiEnabledFalse() {
        runner.withPropertyValues("cdi.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CdiService.class)
                        .doesNotHaveBean(CdiHealthIndicator.class));
    }

    @Test
    void backsOffWhenTheApplicationBuildsItsOwnService() {
        CdiService own = CdiService.builder().secretKey(SecretCipher.fromBase64(KEY))
                .sinkFactory(integration -> new RecordingSink()).build();
        runner.withBean("ownCdi", CdiService.class, () -> own)
                .run(context -> {
                    assertThat(context.getBean(CdiService.class)).isSameAs(own);
                    assertThat(context).doesNotHaveBean(CdiLifecycle.class).hasSingleBean(CdiHealthIndicator.class);
                });
    }

    @Test
    void refusesToStartWithoutTheSecretKey() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CdiAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("cdi.secret-key is not set"));
    }

    @Test
    void bindsEveryPropertyAndRegistersTestsAndActivatesTheIntegration() {
        withUsers().withBean("users", RowSink.class, RecordingSink::new)
                .withPropertyValues("cdi.workspace=acme", "cdi.time-zone=Europe/Paris", "cdi.threads=2",
                        "cdi.tick-interval=2s", "cdi.state-schema=cdi_app")
                .run(context -> {
                    CdiProperties properties = context.getBean(CdiProperties.class);
                    assertThat(properties.getWorkspace()).isEqualTo("acme");
                    assertThat(properties.getThreads()).isEqualTo(2);
                    assertThat(properties.getTickInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.getStateSchema()).isEqualTo("cdi_app");
                    CdiProperties.Integration users = properties.getIntegrations().get("users");
                    assertThat(users.getConnector()).isEqualTo("fake");
                    assertThat(users.getSettings()).containsEntry("warehouse", warehouse.id());
                    assertThat(users.getSecrets()).containsEntry("token", "secret");
                    assertThat(users.getTable()).isEqualTo("main.users");
                    assertThat(users.getDataType()).isEqualTo("attributes");
                    assertThat(users.getSchedule()).isEqualTo("daily at 02:30");

                    CdiService cdi = context.getBean(CdiService.class);
                    RegisteredIntegration registered = cdi.registry().get("users").orElseThrow();
                    assertThat(registered.status()).isEqualTo(IntegrationStatus.ACTIVE);
                    assertThat(registered.definition().workspace()).isEqualTo("acme");
                    assertThat(registered.definition().connectionSettings())
                            .isEqualTo(Map.of("warehouse", warehouse.id()));
                    assertThat(cdi.registry().workspace("acme").orElseThrow().zone().getId()).isEqualTo("Europe/Paris");
                });
    }

    @Test
    void runsGoToTheSinkBeanNamedAfterTheIntegrationAndHealthStaysUp() {
        RecordingSink sink = new RecordingSink();
        withUsers().withBean("users", RowSink.class, () -> sink)
                .withBean("other", RowSink.class, RecordingSink::new)
                .run(context -> {
                    CdiService cdi = context.getBean(CdiService.class);
                    cdi.api().triggerSync("users");
                    await(() -> lastRunEnded(cdi));

                    assertThat(sink.rows()).hasSize(1);
                    Health health = context.getBean(CdiHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsKey("users");
                    Info.Builder info = new Info.Builder();
                    context.getBean(CdiInfoContributor.class).contribute(info);
                    assertThat(info.build().getDetails()).containsKey("cdi");
                });
    }

    @Test
    void healthIsDownWithTheErrorWhenTheLastRunFailed() {
        withUsers().withBean("users", RowSink.class, RecordingSink::new).run(context -> {
            CdiService cdi = context.getBean(CdiService.class);
            warehouse.dropTable("main.users");
            cdi.api().triggerSync("users");
            await(() -> lastRunEnded(cdi));

            assertThat(cdi.api().listRuns("users", 1).get(0).status()).isEqualTo(RunStatus.ERROR);
            Health health = context.getBean(CdiHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> users = (Map<String, Object>) health.getDetails().get("users");
            assertThat(users).containsEntry("lastRun", "ERROR").containsKey("errorMessage");
            assertThat(ErrorCode.valueOf((String) users.get("errorCode"))).isNotNull();
        });
    }

    @Test
    void aMissingSinkBeanFailsTheStartWithTheNamesItHas() {
        withUsers().withBean("audit", RowSink.class, RecordingSink::new)
                .withBean("marketing", RowSink.class, RecordingSink::new)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("No RowSink bean named 'users'").hasMessageContaining("[audit, marketing]"));
    }

    @Test
    void theOnlySinkBeanServesEveryIntegration() {
        RecordingSink sink = new RecordingSink();
        withUsers().withBean("crm", RowSink.class, () -> sink).run(context -> {
            CdiService cdi = context.getBean(CdiService.class);
            cdi.api().triggerSync("users");
            await(() -> lastRunEnded(cdi));
            assertThat(sink.rows()).hasSize(1);
        });
    }

    private ApplicationContextRunner withUsers() {
        return runner.withPropertyValues(
                "cdi.integrations.users.connector=fake",
                "cdi.integrations.users.settings.warehouse=" + warehouse.id(),
                "cdi.integrations.users.secrets.token=secret",
                "cdi.integrations.users.table=main.users",
                "cdi.integrations.users.data-type=attributes",
                "cdi.integrations.users.schedule=daily at 02:30");
    }

    private static boolean lastRunEnded(CdiService cdi) {
        return cdi.api().listRuns("users", 1).stream().anyMatch(run -> run.status() != RunStatus.RUNNING);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after 30 s");
            }
            Thread.sleep(20);
        }
    }
}
