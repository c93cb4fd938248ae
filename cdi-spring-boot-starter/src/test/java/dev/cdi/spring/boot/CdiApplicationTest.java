package dev.cdi.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cdi.api.RunStatus;
import dev.cdi.core.service.CdiService;
import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.testkit.ManualClock;
import dev.cdi.testkit.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A whole Spring Boot application with the starter: embedded PostgreSQL as its DataSource, a DuckDB file as the
 * source, a sink bean; the integration runs on its schedule, its meters land in the application's registry and its
 * health in the actuator.
 */
class CdiApplicationTest {
    private static EmbeddedPostgres postgres;

    @TempDir
    Path directory;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void syncsADuckDbTableOnScheduleIntoTheSinkBeanWithMetricsAndHealth() throws Exception {
        Path database = directory.resolve("warehouse.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE users (updated_at TIMESTAMP, external_id VARCHAR, payload VARCHAR)");
            statement.execute("INSERT INTO users VALUES (TIMESTAMP '2026-01-01 00:00:00', 'u1', '{\"plan\":\"pro\"}'),"
                    + " (TIMESTAMP '2026-01-01 00:01:00', 'u2', '{}'), (TIMESTAMP '2026-01-01 00:02:00', 'u3', '{}')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        SpringApplication application = new SpringApplication(TestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(
                "--cdi.secret-key=" + Base64.getEncoder().encodeToString(new byte[32]),
                "--cdi.tick-interval=50ms",
                "--cdi.integrations.users.connector=duckdb",
                "--cdi.integrations.users.settings.path=" + database,
                "--cdi.integrations.users.table=main.users",
                "--cdi.integrations.users.data-type=attributes",
                "--cdi.integrations.users.schedule=every 15 minutes",
                "--spring.jmx.enabled=true",
                "--management.endpoints.jmx.exposure.include=health")) {
            CdiService cdi = context.getBean(CdiService.class);
            RecordingSink sink = context.getBean("users", RecordingSink.class);
            CdiAutoConfigurationTest.await(() -> cdi.scheduler().nextRuns().containsKey("users"));
            assertThat(sink.rows()).as("nothing runs before its time").isEmpty();

            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            logged.start();
            root.addAppender(logged);
            context.getBean(ManualClock.class).advance(Duration.ofMinutes(16));
            CdiAutoConfigurationTest.await(() -> cdi.api().listRuns("users", 1).stream()
                    .anyMatch(run -> run.status() != RunStatus.RUNNING));
            root.detachAppender(logged);

            String runId = cdi.api().listRuns("users", 1).get(0).runId();
            assertThat(logged.list).filteredOn(event -> event.getThreadName().startsWith("cdi-run"))
                    .isNotEmpty().allSatisfy(event -> assertThat(event.getMDCPropertyMap())
                            .containsEntry("cdi.integration", "users").containsEntry("cdi.run", runId));

            assertThat(cdi.api().listRuns("users", 1).get(0).status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sink.rows()).hasSize(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            Tags users = Tags.of("integration", "users", "connector", "duckdb");
            assertThat(meters.get("cdi.rows.synced").tags(users).counter().count()).isEqualTo(3);
            assertThat(meters.get("cdi.run.duration").tags(users).tag("status", "SUCCESS").timer().count()).isEqualTo(1);
            assertThat(meters.get("cdi.watermark.lag").tags(users).gauge().value()).isPositive();
            HealthComponent health = context.getBean(HealthEndpoint.class).healthForPath("cdi");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean(CdiHealthIndicator.class).health().getDetails()).containsKey("users");
        }
        PostgresStateStore store = new PostgresStateStore(postgres.getPostgresDatabase());
        assertThat(store.load("users")).as("the watermark is kept in the application's database").isPresent();
    }

    /** The application: a DataSource, a sink bean and the clock the schedule is read by. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        DataSource dataSource() {
            return postgres.getPostgresDatabase();
        }

        @Bean
        RecordingSink users() {
            return new RecordingSink();
        }

        @Bean
        ManualClock clock() {
            return new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }
}
