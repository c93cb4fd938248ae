package dev.cdi.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.RunListener;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.testkit.FailingSink;
import dev.cdi.testkit.FakeTable;
import dev.cdi.testkit.FakeWarehouse;
import dev.cdi.testkit.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Real syncs on the testkit's DuckDB warehouse, recorded in a {@link SimpleMeterRegistry}. */
class MicrometerRunListenerTest {
    private static final Tags USERS = Tags.of("integration", "users", "connector", "fake");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private FakeWarehouse warehouse;
    private FakeTable users;
    private SyncEngine engine;

    @BeforeEach
    void setUp() {
        warehouse = FakeWarehouse.create();
        users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.freezeTimeAt(Instant.parse("2026-01-01T01:00:00Z"));
        engine = SyncEngine.builder().stateStore(new InMemoryStateStore())
                .listener(new MicrometerRunListener(registry)).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        warehouse.close();
    }

    @Test
    void aRunCountsItsRowsTimesItselfAndMeasuresTheWatermarkLag() {
        users.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{}").insert();
        users.row().updatedAt("2026-01-01T00:30:00Z").externalId("u2").payload("{}").insert();
        users.row().updatedAt("2026-01-01T00:40:00Z").externalId("").payload("{}").insert();
        users.row().updatedAt("2026-01-01T02:00:00Z").externalId("u4").payload("{}").insert();

        RunResult result = engine.run(spec().build(), new RecordingSink());

        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(registry.get("cdi.rows.read").tags(USERS).counter().count()).isEqualTo(3);
        assertThat(registry.get("cdi.rows.synced").tags(USERS).counter().count()).isEqualTo(2);
        assertThat(registry.get("cdi.rows.failed").tags(USERS).counter().count()).isEqualTo(1);
        assertThat(registry.get("cdi.rows.deferred").tags(USERS).counter().count()).isEqualTo(1);
        assertThat(registry.get("cdi.run.duration").tags(USERS).tag("status", "PARTIAL").timer().count()).isEqualTo(1);
        assertThat(registry.get("cdi.watermark.lag").tags(USERS).gauge().value()).isEqualTo(20 * 60);
        assertThat(registry.get("cdi.sink.batch.latency").tags(USERS).timer().count()).isEqualTo(1);
        assertThat(registry.get("cdi.sink.retries").tags(USERS).counter().count()).isZero();

        warehouse.advanceTime(Duration.ofHours(2));
        engine.run(spec().build(), new RecordingSink());

        assertThat(registry.get("cdi.rows.read").tags(USERS).counter().count()).isEqualTo(4);
        assertThat(registry.get("cdi.run.duration").tags(USERS).tag("status", "SUCCESS").timer().count()).isEqualTo(1);
        assertThat(registry.get("cdi.watermark.lag").tags(USERS).gauge().value()).isEqualTo(60 * 60);
    }

    @Test
    void retriedSinkAttemptsAreCounted() {
        users.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{}").insert();
        FailingSink sink = new FailingSink().failCalls(1, 2);

        RunResult result = engine.run(spec().options(SyncOptions.builder().sinkAttempts(3)
                .sinkRetryBackoff(Duration.ofMillis(1)).build()).build(), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(registry.get("cdi.sink.retries").tags(USERS).counter().count()).isEqualTo(2);
        assertThat(registry.get("cdi.sink.batch.latency").tags(USERS).timer().count()).isEqualTo(1);
    }

    @Test
    void aRunThatCannotStartIsTimedWithItsStatus() {
        FakeWarehouse closed = FakeWarehouse.create();
        FakeTable table = closed.createTable("main.users", DataType.ATTRIBUTES);
        closed.close();

        RunResult result = engine.run(closed.spec("users", table, DataType.ATTRIBUTES).build(), new RecordingSink());

        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(registry.get("cdi.run.duration").tags(USERS).tag("status", "CONFIG_ERROR").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("cdi.rows.read").tags(USERS).counter().count()).isZero();
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheRun() {
        users.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{}").insert();
        try (SyncEngine broken = SyncEngine.builder().listener(new RunListener() {
            @Override
            public void runEnded(Run run, RunResult result) {
                throw new IllegalStateException("metrics backend down");
            }
        }).listener(new MicrometerRunListener(registry)).build()) {
            RunResult result = broken.run(spec().build(), new RecordingSink());

            assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(registry.get("cdi.rows.synced").tags(USERS).counter().count()).isEqualTo(1);
        }
    }

    @Test
    void everyLineLoggedDuringARunCarriesTheIntegrationAndTheRun() {
        users.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{}").insert();
        users.row().updatedAt("2026-01-01T00:10:00Z").externalId("").payload("{}").insert();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        List<String> seenBySink = new ArrayList<>();
        FailingSink sink = new FailingSink(batch -> {
            seenBySink.add(MDC.get("cdi.integration") + "/" + MDC.get("cdi.run"));
            return new RecordingSink().write(batch);
        }).failCalls(1);
        RunResult result;
        try {
            result = engine.run(spec().options(SyncOptions.builder().sinkRetryBackoff(Duration.ofMillis(1)).build())
                    .build(), sink);
        } finally {
            root.detachAppender(appender);
        }

        assertThat(appender.list).hasSizeGreaterThanOrEqualTo(3);
        assertThat(appender.list).allSatisfy(event -> {
            assertThat(event.getMDCPropertyMap()).containsEntry("cdi.integration", "users");
            assertThat(event.getMDCPropertyMap()).containsEntry("cdi.run", result.runId());
        });
        assertThat(seenBySink).containsExactly("users/" + result.runId());
        assertThat(MDC.get("cdi.integration")).isNull();
        assertThat(MDC.get("cdi.run")).isNull();
    }

    private SyncSpec.Builder spec() {
        return warehouse.spec("users", users, DataType.ATTRIBUTES);
    }
}
