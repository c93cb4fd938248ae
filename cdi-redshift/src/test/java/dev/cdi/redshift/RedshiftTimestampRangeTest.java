package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingRedshiftServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4.7 on PostgreSQL through the Redshift driver, which reads {@code -infinity} as NULL and a year BC as the
 * same year AD: such rows are row errors on every run, and never stop a run or move the watermark.
 */
class RedshiftTimestampRangeTest {
    private static final TableName USERS = TableName.parse("range_test.users");
    private static TestingRedshiftServer server;

    @BeforeAll
    static void start() {
        server = TestingRedshift.server();
    }

    @AfterEach
    void drop() {
        server.execute("DROP SCHEMA IF EXISTS range_test CASCADE");
    }

    @Test
    void infiniteAndBcTimestampsAreRowErrorsAndTheOtherRowsSync() {
        server.execute("CREATE SCHEMA range_test",
                "CREATE TABLE range_test.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO range_test.users VALUES ('-infinity', 'minus-infinity', '{}'), "
                        + "('0044-03-15 12:00:00+00 BC', 'caesar', '{}'), ('infinity', 'plus-infinity', '{}'), "
                        + "('2026-01-02 03:04:05.123456+00', 'u1', '{}')");
        SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build();
        RecordingSink sink = new RecordingSink();

        for (int run = 1; run <= 2; run++) {
            RunResult result = engine.run(spec(Duration.ZERO), sink);

            assertThat(result.status()).as("run %d: %s", run, result.error()).isEqualTo(RunStatus.PARTIAL);
            assertThat(result.rowErrors()).extracting(RowError::code)
                    .containsExactly(RowErrorCode.INVALID_UPDATED_AT, RowErrorCode.INVALID_UPDATED_AT);
            assertThat(result.rowsDeferred()).isEqualTo(1);
            assertThat(result.watermark()).contains(new Watermark(Instant.parse("2026-01-02T03:04:05.123456Z"), 1));
        }
        assertThat(sink.rows()).hasSize(1);
    }

    @Test
    void aYearOneRowWithALookBackSyncsAndTheNextRunReadsNothing() {
        server.execute("CREATE SCHEMA range_test",
                "CREATE TABLE range_test.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO range_test.users VALUES ('0001-01-01 00:30:00+00', 'early', '{}')");
        SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build();
        RecordingSink sink = new RecordingSink();

        assertThat(engine.run(spec(Duration.ofHours(1)), sink).status()).isEqualTo(RunStatus.SUCCESS);
        RunResult second = engine.run(spec(Duration.ofHours(1)), sink);

        assertThat(second.status()).as("%s", second.error()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.rows()).hasSize(1);
    }

    private static SyncSpec spec(Duration lookback) {
        return SyncSpec.builder().integration("range")
                .connector("redshift", new ConnectorSettings(TestingRedshift.settings(), RedshiftSettings.SECRET_KEYS))
                .table(USERS).dataType(DataType.ATTRIBUTES)
                .options(SyncOptions.builder().lookback(lookback).build()).build();
    }
}
