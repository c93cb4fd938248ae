package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.Identifier;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.api.Watermark;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.core.validation.RowVerdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every source connector passes, against the closest real engine that runs in a test: it
 * checks the behaviours of SPEC sections 3 to 5 that depend on the connector (reading each data type's layout, the
 * connection test's preview,
 * the boundary rules at the watermark, the upper bound from the warehouse's clock, UTC handling of time-zone-less
 * timestamps under a non-UTC JVM zone, full precision, streaming a large table with bounded heap, bound values and
 * quoted identifiers, error categories).
 *
 * <p>A connector module's test extends it and says how to create tables, insert rows and open its connector;
 * {@link #capabilities()} switches the optional parts on or off. Tables are created in {@link #schema()} with
 * unique names and dropped after each test.
 *
 * <p>Not thread-safe: JUnit runs one test of an instance at a time.
 */
public abstract class BaseConnectorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final AtomicInteger TABLE_NUMBER = new AtomicInteger();

    private final List<TableName> createdTables = new ArrayList<>();
    private SourceConnector connector;

    /** Creates the suite; subclasses are JUnit test classes. */
    protected BaseConnectorTest() {
    }

    /**
     * Opens a connector to the engine under test, as an application would (with the settings of the provider).
     *
     * @return an open connector; the suite closes it
     */
    protected abstract SourceConnector openConnector();

    /**
     * What the connector supports; switches optional tests on.
     *
     * @return the capabilities
     */
    protected abstract Set<ConnectorCapability> capabilities();

    /**
     * The schema the suite creates its tables in, such as {@code main} or {@code public}.
     *
     * @return the schema
     */
    protected abstract String schema();

    /**
     * Creates a table with these columns, using the engine's usual types: text for identifiers and the payload, a
     * boolean for {@code DELETED}, and the timestamp kind asked for {@code UPDATED_AT}.
     *
     * @param table the table; its name may hold quotes and semicolons, which the engine must quote
     * @param columns the columns, in order
     * @param timestampKind the type of {@code UPDATED_AT}
     */
    protected abstract void createTable(TableName table, List<Column> columns, TimestampKind timestampKind);

    /**
     * Inserts rows, binding every value (timestamps at full precision, as UTC for time-zone-less columns).
     *
     * @param table the table
     * @param rows the rows
     */
    protected abstract void insertRows(TableName table, List<ConformanceRow> rows);

    /**
     * Inserts {@code count} generated attribute rows with distinct {@code EXTERNAL_ID}s, increasing
     * {@code UPDATED_AT} values and payloads of about {@code payloadChars} characters, in the engine's own fast way
     * (such as {@code INSERT ... SELECT} over a series).
     *
     * @param table an attributes table created by {@link #createTable}
     * @param count how many rows
     * @param payloadChars the payload size
     */
    protected abstract void insertGeneratedRows(TableName table, long count, int payloadChars);

    /**
     * Drops a table if it exists.
     *
     * @param table the table
     */
    protected abstract void dropTable(TableName table);

    /**
     * Opens a connector as a user that may connect but lacks the privilege to read the table. Only called when the
     * connector declares {@link ConnectorCapability#PRIVILEGES}.
     *
     * @param table the table the user must not read
     * @return an open connector; the suite closes it
     */
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        throw new UnsupportedOperationException("declare PRIVILEGES only with openConnectorWithoutPrivilegeOn");
    }

    /**
     * How many rows the streaming test reads; large enough that holding them all would exceed its heap bound.
     *
     * @return the row count, 200,000 by default
     */
    protected long largeTableRows() {
        return 200_000;
    }

    @BeforeEach
    final void openTheConnector() {
        connector = openConnector();
    }

    @AfterEach
    final void closeTheConnectorAndDropTables() {
        try {
            connector.close();
        } finally {
            createdTables.forEach(this::dropTable);
            createdTables.clear();
        }
    }

    /**
     * The open connector of the current test.
     *
     * @return the connector
     */
    protected final SourceConnector connector() {
        return connector;
    }

    private TableName newTable(String purpose, List<Column> columns, TimestampKind kind) {
        return newTableNamed(purpose + "_" + TABLE_NUMBER.incrementAndGet(), columns, kind);
    }

    private TableName newTableNamed(String name, List<Column> columns, TimestampKind kind) {
        TableName table = new TableName(Optional.empty(), schema(), "cdi_conformance_" + name);
        dropTable(table);
        createTable(table, columns, kind);
        createdTables.add(table);
        return table;
    }

    private TableName newTable(String purpose, DataType dataType) {
        return newTable(purpose, TableLayout.of(dataType).columns(), TimestampKind.WITHOUT_TIME_ZONE);
    }

    private RunResult sync(String integration, TableName table, DataType dataType, SyncOptions options,
            SyncEngine engine, RecordingSink sink) {
        SyncSpec spec = SyncSpec.builder().integration(integration)
                .connector("conformance", ConnectorSettings.of(Map.of()))
                .table(table).dataType(dataType).options(options).build();
        return engine.run(spec, connector, sink);
    }

    private static SyncEngine newEngine() {
        return SyncEngine.builder().stateStore(new InMemoryStateStore()).build();
    }

    private List<SourceRow> readAll(TableName table, RowFilter filter) {
        TableSchema schema = connector.describe(table);
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema, filter, OptionalLong.empty()))) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static String externalId(ResolvedRow row) {
        return ((Identifier.ExternalId) row.identifier()).value();
    }

    @Test
    void describesTheLayoutOfEveryDataType() {
        for (DataType dataType : DataType.values()) {
            TableName table = newTable("layout_" + dataType.configName(), dataType);
            TableSchema schema = connector.describe(table);
            assertThat(schema.columnTypes().keySet()).as("columns of %s", dataType)
                    .containsExactlyInAnyOrderElementsOf(TableLayout.of(dataType).columns());
        }
    }

    @Test
    void readsEveryDataTypeThroughThePipeline() {
        SyncEngine engine = newEngine();
        Map<DataType, ConformanceRow> samples = Map.of(
                DataType.ATTRIBUTES, ConformanceRow.user(T0, "u1", "{\"plan\":\"gold\",\"n\":{\"a\":[1,2]}}"),
                DataType.EVENTS, ConformanceRow.user(T0, "u1", "{\"name\":\"opened\"}"),
                DataType.PURCHASES, ConformanceRow.user(T0, "u1", "{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":2}"),
                DataType.USER_DELETES, new ConformanceRow(Optional.of(T0), Map.of(Column.EXTERNAL_ID, "u1")),
                DataType.CATALOG, new ConformanceRow(Optional.of(T0),
                        Map.of(Column.ID, "item-1", Column.PAYLOAD, "{\"color\":\"red\"}", Column.DELETED, "false")));
        samples.forEach((dataType, row) -> {
            TableName table = newTable("read_" + dataType.configName(), dataType);
            insertRows(table, List.of(row));
            RecordingSink sink = new RecordingSink();
            RunResult result = sync("read-" + dataType.configName().replace('_', '-'), table, dataType,
                    SyncOptions.defaults(), engine, sink);
            assertThat(result.status()).as("%s: %s", dataType, result.error()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sink.rows()).as("%s", dataType).singleElement().satisfies(resolved -> {
                assertThat(resolved.updatedAt()).isEqualTo(T0);
                assertThat(resolved.dataType()).isEqualTo(dataType);
            });
        });
    }

    @Test
    void aPayloadKeepsItsJsonText() {
        TableName table = newTable("payload", DataType.ATTRIBUTES);
        String payload = "{\"name\":\"Zoë \\\"Z\\\" Ünal\",\"tags\":[\"a\",\"b\"],\"nested\":{\"x\":1.5,\"y\":null}}";
        insertRows(table, List.of(ConformanceRow.user(T0, "u1", payload)));
        assertThat(readAll(table, RowFilter.between(Optional.empty(), T0)))
                .singleElement().satisfies(row -> assertThat(row.value(Column.PAYLOAD)).contains(payload));
    }

    @Test
    void rowFiltersSelectExactlyTheirRowsAtTheBoundaries() {
        TableName table = newTable("boundaries", DataType.ATTRIBUTES);
        Instant before = T0.minus(1, ChronoUnit.MICROS);
        Instant after = T0.plus(1, ChronoUnit.MICROS);
        insertRows(table, List.of(ConformanceRow.user(before, "before", "{}"), ConformanceRow.user(T0, "at", "{}"),
                ConformanceRow.user(after, "after", "{}"),
                new ConformanceRow(Optional.empty(), Map.of(Column.EXTERNAL_ID, "null", Column.PAYLOAD, "{}"))));
        TableSchema schema = connector.describe(table);

        assertThat(connector.count(table, schema, RowFilter.at(T0))).isEqualTo(1);
        assertThat(connector.count(table, schema, RowFilter.above(T0))).isEqualTo(1);
        assertThat(connector.count(table, schema, RowFilter.after(before, T0))).isEqualTo(1);
        assertThat(connector.count(table, schema, RowFilter.between(Optional.of(T0), after))).isEqualTo(2);
        assertThat(connector.count(table, schema, RowFilter.between(Optional.empty(), after))).isEqualTo(3);
        assertThat(connector.count(table, schema,
                new RowFilter.Range(Optional.of(before), true, Optional.of(after), false))).isEqualTo(2);
        assertThat(connector.count(table, schema, RowFilter.nullUpdatedAt())).isEqualTo(1);
        assertThat(connector.countEach(table, schema, List.of(RowFilter.at(T0), RowFilter.above(after),
                RowFilter.nullUpdatedAt(), RowFilter.between(Optional.empty(), after), RowFilter.above(T0))))
                .as("one pass, several counts").containsExactly(1L, 0L, 1L, 3L, 1L);
        assertThat(readAll(table, RowFilter.between(Optional.of(before), T0)))
                .extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow()).containsExactly("before", "at");
        assertThat(readAll(table, RowFilter.nullUpdatedAt()))
                .singleElement().satisfies(row -> assertThat(row.updatedAt()).isEmpty());
    }

    @Test
    void rowsComeBackOrderedByUpdatedAt() {
        TableName table = newTable("order", DataType.ATTRIBUTES);
        List<ConformanceRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int shuffled = (i * 37) % 50;
            rows.add(ConformanceRow.user(T0.plus(shuffled, ChronoUnit.MICROS), "u" + shuffled, "{}"));
        }
        insertRows(table, rows);
        assertThat(readAll(table, RowFilter.between(Optional.empty(), T0.plusSeconds(1))))
                .extracting(row -> row.updatedAt().orElseThrow()).hasSize(50).isSorted();
    }

    @Test
    void newRowsAtTheWatermarkAreReadAndRowsDeliveredBeforeAreNot() {
        TableName table = newTable("watermark", DataType.ATTRIBUTES);
        insertRows(table, List.of(ConformanceRow.user(T0, "a", "{}"), ConformanceRow.user(T0, "b", "{}")));
        SyncEngine engine = newEngine();
        RecordingSink sink = new RecordingSink();
        sync("watermark", table, DataType.ATTRIBUTES, SyncOptions.defaults(), engine, sink);

        insertRows(table, List.of(ConformanceRow.user(T0, "c", "{}")));
        sink.clear();
        RunResult second = sync("watermark", table, DataType.ATTRIBUTES, SyncOptions.defaults(), engine, sink);

        assertThat(sink.rows()).extracting(BaseConnectorTest::externalId).containsExactly("c");
        assertThat(second.watermark()).contains(new Watermark(T0, 3));
    }

    @Test
    void theCountRuleIsTheFallbackWhenFingerprintsOverflow() {
        TableName table = newTable("count_rule", DataType.ATTRIBUTES);
        insertRows(table, List.of(ConformanceRow.user(T0, "a", "{}"), ConformanceRow.user(T0, "b", "{}")));
        SyncEngine engine = newEngine();
        RecordingSink sink = new RecordingSink();
        SyncOptions options = SyncOptions.builder().fingerprintLimit(1).build();
        sync("count-rule", table, DataType.ATTRIBUTES, options, engine, sink);

        sink.clear();
        assertThat(sync("count-rule", table, DataType.ATTRIBUTES, options, engine, sink).rowsRead()).isZero();
        insertRows(table, List.of(ConformanceRow.user(T0, "c", "{}")));
        sync("count-rule", table, DataType.ATTRIBUTES, options, engine, sink);
        assertThat(sink.rows()).extracting(BaseConnectorTest::externalId).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void theUpperBoundComesFromTheWarehouseClock() {
        Instant now = connector.currentTime();
        assertThat(Duration.between(Instant.now(), now).abs()).as("warehouse clock %s", now)
                .isLessThan(Duration.ofMinutes(10));

        TableName table = newTable("clock", DataType.ATTRIBUTES);
        insertRows(table, List.of(ConformanceRow.user(T0, "past", "{}"),
                ConformanceRow.user(now.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MICROS), "future", "{}")));
        RecordingSink sink = new RecordingSink();
        RunResult result = sync("clock", table, DataType.ATTRIBUTES, SyncOptions.defaults(), newEngine(), sink);
        assertThat(result.rowsDeferred()).isEqualTo(1);
        assertThat(sink.rows()).extracting(BaseConnectorTest::externalId).containsExactly("past");
    }

    @Test
    void timestampsWithoutTimeZoneAreUtcAtMicrosecondPrecisionWhateverTheJvmZone() {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
        try {
            assertTimestampsRoundTrip(TimestampKind.WITHOUT_TIME_ZONE, ChronoUnit.MICROS);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void timestampsWithTimeZoneAreReadAsTheirInstant() {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        try {
            assertTimestampsRoundTrip(TimestampKind.WITH_TIME_ZONE, ChronoUnit.MICROS);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void nanosecondTimestampsKeepTheirNanoseconds() {
        assumeTrue(capabilities().contains(ConnectorCapability.NANOSECOND_TIMESTAMPS), "no nanosecond timestamps");
        assertTimestampsRoundTrip(TimestampKind.WITHOUT_TIME_ZONE_NANOS, ChronoUnit.NANOS);
    }

    private void assertTimestampsRoundTrip(TimestampKind kind, ChronoUnit precision) {
        TableName table = newTable("timestamps_" + kind.name().toLowerCase(Locale.ROOT),
                TableLayout.of(DataType.ATTRIBUTES).columns(), kind);
        Instant summer = Instant.parse("2026-07-01T12:34:56.123456789Z").truncatedTo(precision);
        Instant winter = Instant.parse("2026-01-02T03:04:05.000001999Z").truncatedTo(precision);
        Instant dstGap = Instant.parse("2026-03-08T10:30:00.999999999Z").truncatedTo(precision);
        insertRows(table, List.of(ConformanceRow.user(summer, "summer", "{}"), ConformanceRow.user(winter, "winter", "{}"),
                ConformanceRow.user(dstGap, "dst-gap", "{}")));
        assertThat(readAll(table, RowFilter.between(Optional.empty(), summer)))
                .extracting(row -> row.updatedAt().orElseThrow()).containsExactly(winter, dstGap, summer);
        TableSchema schema = connector.describe(table);
        assertThat(connector.count(table, schema, RowFilter.at(dstGap))).as("bound back exactly").isEqualTo(1);
        assertThat(connector.count(table, schema, RowFilter.above(winter))).isEqualTo(2);
    }

    @Test
    @Tag("slow")
    void aLargeTableStreamsWithBoundedHeap() {
        TableName table = newTable("large", DataType.ATTRIBUTES);
        int payloadChars = 2_000;
        long rows = largeTableRows();
        insertGeneratedRows(table, rows, payloadChars);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        long maxRetained = 0;
        long read = 0;
        long chars = 0;
        TableSchema schema = connector.describe(table);
        try (RowStream stream = connector.read(new ReadRequest(table, schema,
                RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")), OptionalLong.empty()))) {
            while (stream.hasNext()) {
                chars += stream.next().value(Column.PAYLOAD).orElseThrow().length();
                if (++read % (rows / 5) == 0) {
                    System.gc();
                    maxRetained = Math.max(maxRetained, memory.getHeapMemoryUsage().getUsed() - baseline);
                }
            }
        }
        assertThat(read).isEqualTo(rows);
        long bound = 128L << 20;
        assertThat(chars).as("the test reads more than the bound").isGreaterThan(2 * bound);
        assertThat(maxRetained).as("heap retained while streaming %,d chars", chars).isLessThan(bound);
    }

    @Test
    void valuesAreBoundAndTableNamesQuotedNeverExecuted() {
        TableName canary = newTable("canary", DataType.ATTRIBUTES);
        insertRows(canary, List.of(ConformanceRow.user(T0, "still-here", "{}")));
        String hostile = "hostile\"; DROP TABLE " + canary.table() + "; --";
        TableName table = newTableNamed(hostile, TableLayout.of(DataType.ATTRIBUTES).columns(), TimestampKind.WITHOUT_TIME_ZONE);
        String trickyValue = "x'); DROP TABLE " + canary.table() + "; --";
        insertRows(table, List.of(ConformanceRow.user(T0, trickyValue, "{}")));

        RecordingSink sink = new RecordingSink();
        RunResult result = sync("hostile", table, DataType.ATTRIBUTES, SyncOptions.defaults(), newEngine(), sink);

        assertThat(result.status()).as("%s", result.error()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.rows()).extracting(BaseConnectorTest::externalId).containsExactly(trickyValue);
        assertThat(readAll(canary, RowFilter.between(Optional.empty(), T0))).hasSize(1);
    }

    @Test
    void theConnectionTestPreviewsTheFirstRowsWithTheirVerdicts() {
        TableName table = newTable("preview", DataType.ATTRIBUTES);
        insertRows(table, List.of(ConformanceRow.user(T0.plusSeconds(2), "late", "{}"),
                ConformanceRow.user(T0, "first", "{\"plan\":\"gold\"}"),
                ConformanceRow.user(T0.plusSeconds(1), "broken", "{not json")));
        SyncSpec spec = SyncSpec.builder().integration("preview").connector("conformance", ConnectorSettings.of(Map.of()))
                .table(table).dataType(DataType.ATTRIBUTES).build();

        ConnectionTestResult result = new ConnectionTester(ConnectorRegistry.of(List.of())).test(spec, connector, 2);

        assertThat(result).isInstanceOfSatisfying(ConnectionTestResult.Passed.class, passed -> {
            assertThat(passed.schema().has(Column.PAYLOAD)).isTrue();
            assertThat(passed.preview()).hasSize(2);
            assertThat(passed.preview().get(0)).isInstanceOfSatisfying(RowVerdict.Valid.class,
                    valid -> assertThat(externalId(valid.row())).isEqualTo("first"));
            assertThat(passed.preview().get(1)).isInstanceOfSatisfying(RowVerdict.Invalid.class,
                    invalid -> assertThat(invalid.error().code()).isEqualTo(RowErrorCode.INVALID_JSON));
        });

        TableName deletes = newTable("preview_deletes", TableLayout.of(DataType.USER_DELETES).withColumns(Column.PAYLOAD)
                .columns(), TimestampKind.WITHOUT_TIME_ZONE);
        ConnectionTestResult refused = new ConnectionTester(ConnectorRegistry.of(List.of()))
                .test(spec.toBuilder().table(deletes).dataType(DataType.USER_DELETES).build(), connector, 10);
        assertThat(refused).isInstanceOfSatisfying(ConnectionTestResult.Failed.class, failed -> {
            assertThat(failed.error().category()).isEqualTo(ErrorCategory.SCHEMA);
            assertThat(failed.advice()).contains("PAYLOAD");
        });
    }

    @Test
    void aMissingTableIsTableNotFound() {
        TableName missing = new TableName(Optional.empty(), schema(), "cdi_conformance_missing_" + TABLE_NUMBER.incrementAndGet());
        assertThatThrownBy(() -> connector.describe(missing)).isInstanceOfSatisfying(CdiException.class,
                e -> assertThat(e.category()).isEqualTo(ErrorCategory.TABLE_NOT_FOUND));
        RunResult result = sync("missing", missing, DataType.ATTRIBUTES, SyncOptions.defaults(), newEngine(),
                new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.TABLE_NOT_FOUND);
        assertThat(result.error().orElseThrow().message()).contains(missing.table());
    }

    @Test
    void aMissingPrivilegeIsPermissions() {
        assumeTrue(capabilities().contains(ConnectorCapability.PRIVILEGES), "the engine has no privileges");
        TableName table = newTable("private", DataType.ATTRIBUTES);
        insertRows(table, List.of(ConformanceRow.user(T0, "u1", "{}")));
        try (SourceConnector unprivileged = openConnectorWithoutPrivilegeOn(table)) {
            RunResult result = SyncEngine.builder().build().run(SyncSpec.builder().integration("private")
                    .connector("conformance", ConnectorSettings.of(Map.of())).table(table)
                    .dataType(DataType.ATTRIBUTES).build(), unprivileged, new RecordingSink());
            assertThat(result.status()).isEqualTo(RunStatus.ERROR);
            assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.PERMISSIONS);
        }
    }
}
