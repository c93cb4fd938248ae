package dev.cdi.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RowSink;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.RegisteredIntegration;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.service.CdiService;
import dev.cdi.testkit.FakeWarehouse;
import dev.cdi.testkit.RecordingSink;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The properties' defaults, and a restart with changed properties over the same PostgreSQL registry. */
class ConfiguredIntegrationsTest {
    private static final String KEY = Base64.getEncoder().encodeToString(SecretCipher.generateKey());

    @Test
    void defaults() {
        CdiProperties properties = new CdiProperties();
        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getSecretKey()).isNull();
        assertThat(properties.getWorkspace()).isEqualTo("default");
        assertThat(properties.getTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(properties.getThreads()).isEqualTo(4);
        assertThat(properties.getTickInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(properties.getStateSchema()).isEqualTo("cdi");
        assertThat(properties.getIntegrations()).isEmpty();
        CdiProperties.Integration integration = new CdiProperties.Integration();
        assertThat(integration.getSettings()).isEmpty();
        assertThat(integration.getSecrets()).isEmpty();
        assertThat(integration.getSink()).isNull();
    }

    @Test
    void aRestartWithChangedPropertiesUpdatesTheIntegrationAndReplacesItsCredential() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(); FakeWarehouse warehouse = FakeWarehouse.create()) {
            warehouse.createTable("main.users", DataType.ATTRIBUTES)
                    .row().updatedAt(Instant.parse("2026-01-01T00:00:00Z")).externalId("u1").payload("{}").insert();
            ApplicationContextRunner runner = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CdiAutoConfiguration.class))
                    .withBean(DataSource.class, postgres::getPostgresDatabase)
                    .withBean("users", RowSink.class, RecordingSink::new)
                    .withPropertyValues("cdi.secret-key=" + KEY,
                            "cdi.integrations.users.connector=fake",
                            "cdi.integrations.users.settings.warehouse=" + warehouse.id(),
                            "cdi.integrations.users.table=main.users",
                            "cdi.integrations.users.data-type=attributes");

            runner.withPropertyValues("cdi.integrations.users.secrets.token=first",
                    "cdi.integrations.users.schedule=daily at 02:30").run(context -> {
                        RegisteredIntegration users = context.getBean(CdiService.class).registry().get("users")
                                .orElseThrow();
                        assertThat(users.status()).isEqualTo(IntegrationStatus.ACTIVE);
                    });
            runner.withPropertyValues("cdi.integrations.users.secrets.token=rotated",
                    "cdi.integrations.users.schedule=every 15 minutes").run(context -> {
                        CdiService cdi = context.getBean(CdiService.class);
                        RegisteredIntegration users = cdi.registry().get("users").orElseThrow();
                        assertThat(users.status()).isEqualTo(IntegrationStatus.ACTIVE);
                        assertThat(users.definition().schedule().toString()).isEqualTo("every 15 minutes");
                        assertThat(cdi.registry().encryptedCredential("users").orElseThrow()
                                .decrypt(SecretCipher.fromBase64(KEY)).secretValues())
                                .isEqualTo(Map.of("token", "rotated"));
                    });
            runner.withPropertyValues("cdi.integrations.users.secrets.token=rotated",
                    "cdi.integrations.users.schedule=every 15 minutes").run(context -> assertThat(
                            context.getBean(CdiService.class).registry().get("users").orElseThrow().status())
                            .as("unchanged properties change nothing").isEqualTo(IntegrationStatus.ACTIVE));
        }
    }
}
