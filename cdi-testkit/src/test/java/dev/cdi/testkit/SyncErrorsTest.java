package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.FileStateStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 5: row errors never stop a run; sync-level errors stop it before any row is read. */
@ExtendWith(FakeWarehouseExtension.class)
class SyncErrorsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aUserDeleteTableWithAPayloadColumnFailsBeforeAnyRowIsRead(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable deletes = warehouse.createTable("main.deletes", TableLayout.of(DataType.USER_DELETES).withColumns(Column.PAYLOAD));
        deletes.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        RecordingSink sink = new RecordingSink();
        RunResult result = engine.run(warehouse.spec("deletes", deletes, DataType.USER_DELETES).build(), sink);
        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.PAYLOAD_ON_DELETE_TABLE);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.SCHEMA);
        assertThat(result.error().orElseThrow().message()).contains("main.deletes", "PAYLOAD");
        assertThat(result.rowsRead()).isZero();
        assertThat(sink.rows()).isEmpty();
        assertThat(engine.watermark("deletes")).isEmpty();
    }

    @Test
    void aMissingRequiredColumnIsAConfigError(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable events = warehouse.createTable("main.events", TableLayout.of(DataType.EVENTS).withoutColumns(Column.PAYLOAD));
        RunResult result = engine.run(warehouse.spec("events", events, DataType.EVENTS).build(), new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.MISSING_COLUMN);
        assertThat(result.error().orElseThrow().message()).contains("PAYLOAD");
    }

    @Test
    void aTableDroppedBetweenRunsIsTableNotFound(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build();
        assertThat(engine.run(spec, new RecordingSink()).status()).isEqualTo(RunStatus.SUCCESS);

        warehouse.dropTable("main.users");
        RunResult result = engine.run(spec, new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.TABLE_NOT_FOUND);
        assertThat(engine.watermark("users")).isPresent();
    }

    @Test
    void permissionDeniedAndFailedQueriesKeepTheirCategories(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build();
        warehouse.faults().denyPermission();
        assertThat(engine.run(spec, new RecordingSink()).error().orElseThrow().category()).isEqualTo(ErrorCategory.PERMISSIONS);
        warehouse.faults().clear().failNextQuery(ErrorCode.QUERY_TIMEOUT);
        RunResult timedOut = engine.run(spec, new RecordingSink());
        assertThat(timedOut.status()).isEqualTo(RunStatus.ERROR);
        assertThat(timedOut.error().orElseThrow().code().retryable()).isTrue();
        assertThat(engine.run(spec, new RecordingSink()).status()).isEqualTo(RunStatus.SUCCESS);
    }

    @Test
    void anUnknownConnectorIsAConfigErrorListingTheKnownOnes(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build().toBuilder()
                .connector("snowflak", warehouse.connectorSettings()).build();
        RunResult result = engine.run(spec, new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error().orElseThrow().message()).contains("snowflak", "duckdb", "fake");
    }

    @Test
    void oneBadRowNeverStopsTheOtherRows(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("good-1").payload("{\"a\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).externalId("bad-json").payload("{nope").insert();
        users.row().updatedAt(T0.plusSeconds(2)).email("not-an-email").payload("{}").insert();
        users.row().updatedAt(T0.plusSeconds(3)).payload("{}").insert();
        users.row().updatedAt(T0.plusSeconds(4)).externalId("two").brazeId("ids").payload("{}").insert();
        users.row().updatedAt(T0.plusSeconds(5)).externalId("own-id").payload("{\"external_id\":\"x\"}").insert();
        users.row().updatedAt(T0.plusSeconds(6)).externalId("good-2").payload("{\"a\":2}").insert();
        RecordingSink sink = new RecordingSink();

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);

        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowsRead()).isEqualTo(7);
        assertThat(result.rowsSynced()).isEqualTo(2);
        assertThat(result.rowsFailed()).isEqualTo(5);
        assertThat(sink.rows()).extracting(row -> row.identifier())
                .containsExactly(new Identifier.ExternalId("good-1"), new Identifier.ExternalId("good-2"));
        Map<RowErrorCode, RowError> errors = result.rowErrors().stream()
                .collect(Collectors.toMap(RowError::code, Function.identity()));
        assertThat(errors).containsOnlyKeys(RowErrorCode.INVALID_JSON, RowErrorCode.INVALID_EMAIL,
                RowErrorCode.MISSING_IDENTIFIER, RowErrorCode.MULTIPLE_IDENTIFIERS, RowErrorCode.IDENTIFIER_IN_PAYLOAD);
        RowError badJson = errors.get(RowErrorCode.INVALID_JSON);
        assertThat(badJson.identifier()).contains(new Identifier.ExternalId("bad-json"));
        assertThat(badJson.updatedAt()).contains(T0.plusSeconds(1));
        assertThat(badJson.payloadExcerpt()).contains("{nope");
        assertThat(result.watermark().orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void aDefectInAConnectorIsAnInternalErrorAskingForAReport(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        SourceConnector real = warehouse.connector();
        SourceConnector broken = (SourceConnector) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SourceConnector.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("read")) {
                        throw new IllegalStateException("a bug in the connector");
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), broken,
                new RecordingSink());

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.INTERNAL);
        assertThat(result.error().orElseThrow().message()).contains("a bug in the connector").contains("report");
    }

    @Test
    void aStateStoreThatCannotBeReadIsAStateError(FakeWarehouse warehouse, @TempDir Path state) throws Exception {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{}").insert();
        Files.createDirectories(state.resolve("users.state.json"));
        SyncEngine engine = SyncEngine.builder().stateStore(new FileStateStore(state))
                .registerConnector(new FakeWarehouseConnectorProvider()).build();
        RecordingSink sink = new RecordingSink();

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.STATE);
        assertThat(result.error().orElseThrow().message()).contains(state.resolve("users.state.json").toString());
        assertThat(sink.rows()).as("nothing read, not the whole table again").isEmpty();
    }
}
