package dev.cdi.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.junit.jupiter.api.Test;

/** Reads {@link ArrowStreamEncoder}'s bytes back with Apache Arrow's own Java reader and checks the framing. */
class ArrowStreamEncoderTest {
    private static final List<ArrowField> EVERY_TYPE = List.of(
            new ArrowField("s", ArrowColumnType.UTF8),
            new ArrowField("i64", ArrowColumnType.INT64),
            new ArrowField("i32", ArrowColumnType.INT32),
            new ArrowField("f64", ArrowColumnType.FLOAT64),
            new ArrowField("b", ArrowColumnType.BOOL),
            new ArrowField("ts_utc", ArrowColumnType.TIMESTAMP_MICROS_UTC),
            new ArrowField("ts", ArrowColumnType.TIMESTAMP_MICROS),
            new ArrowField("d", ArrowColumnType.DATE_DAYS));
    private static final String EMOJI = new String(Character.toChars(0x1F600));

    @Test
    void everyTypeIsReadBackWithItsArrowTypeAndValues() throws IOException {
        List<Object[]> rows = List.of(
                new Object[] {"hello", 42L, 7, 1.5, true, 1_764_633_600_000_000L, 1_764_633_600_123_456L, 20_424},
                new Object[] {"world", Long.MAX_VALUE, Integer.MIN_VALUE, -0.25, false, 0L, 1L, 0},
                new Object[] {"x", Long.MIN_VALUE, Integer.MAX_VALUE, Double.NaN, true, 1L, 0L, 1});

        Decoded decoded = decode(ArrowStreamEncoder.encode(EVERY_TYPE, rows));

        assertThat(decoded.schema().getFields()).extracting(Field::getName)
                .containsExactly("s", "i64", "i32", "f64", "b", "ts_utc", "ts", "d");
        assertThat(decoded.schema().getFields()).allMatch(Field::isNullable);
        assertThat(decoded.schema().getFields()).extracting(Field::getType).containsExactly(
                ArrowType.Utf8.INSTANCE,
                new ArrowType.Int(64, true),
                new ArrowType.Int(32, true),
                new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                ArrowType.Bool.INSTANCE,
                new ArrowType.Timestamp(TimeUnit.MICROSECOND, "Etc/UTC"),
                new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
                new ArrowType.Date(DateUnit.DAY));
        assertThat(decoded.batchRowCounts()).containsExactly(3);
        assertRows(decoded.rows(), rows);
    }

    @Test
    void nullsAreReadBackInEveryType() throws IOException {
        List<Object[]> rows = List.of(
                new Object[] {null, 1L, null, 2.0, null, 3L, null, 4},
                new Object[] {"a", null, 5, null, true, null, 6L, null},
                new Object[] {null, null, null, null, null, null, null, null},
                new Object[] {"", -1L, -1, -1.0, false, -1L, -1L, -1});

        Decoded decoded = decode(ArrowStreamEncoder.encode(EVERY_TYPE, rows));

        assertRows(decoded.rows(), rows);
        assertThat(decoded.nullCounts()).containsExactly(2, 2, 2, 2, 2, 2, 2, 2);
    }

    @Test
    void aColumnOfOnlyNullsIsReadBack() throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            rows.add(new Object[EVERY_TYPE.size()]);
        }

        Decoded decoded = decode(ArrowStreamEncoder.encode(EVERY_TYPE, rows));

        assertRows(decoded.rows(), rows);
        assertThat(decoded.nullCounts()).containsOnly(9);
    }

    @Test
    void stringsKeepNonAsciiNonBmpAndEmptyValues() throws IOException {
        List<ArrowField> fields = List.of(new ArrowField("name", ArrowColumnType.UTF8));
        List<String> values = List.of("", "caf\u00e9", "\u65e5\u672c\u8a9e", EMOJI + " smile " + EMOJI, "",
                "a\u0000b", "\u00e9".repeat(1000));
        List<Object[]> rows = values.stream().map(value -> new Object[] {value}).toList();

        Decoded decoded = decode(ArrowStreamEncoder.encode(fields, rows));

        assertRows(decoded.rows(), rows);
        assertThat(decoded.nullCounts()).containsExactly(0);
    }

    @Test
    void nonAsciiColumnNamesAreKept() throws IOException {
        String name = "n\u00e4me " + EMOJI;
        Decoded decoded = decode(ArrowStreamEncoder.encode(
                List.of(new ArrowField(name, ArrowColumnType.INT32), new ArrowField("", ArrowColumnType.INT32)),
                List.<Object[]>of(new Object[] {1, 2})));

        assertThat(decoded.schema().getFields()).extracting(Field::getName).containsExactly(name, "");
    }

    @Test
    void zeroRowsGiveTheSchemaAndAnEmptyBatch() throws IOException {
        byte[] stream = ArrowStreamEncoder.encode(EVERY_TYPE, List.of());

        Decoded decoded = decode(stream);

        assertThat(decoded.schema().getFields()).hasSize(EVERY_TYPE.size());
        assertThat(decoded.batchRowCounts()).containsExactly(0);
        assertThat(decoded.rows()).isEmpty();
        assertFraming(stream, EVERY_TYPE.size());
    }

    @Test
    void zeroFieldsGiveAValidStream() throws IOException {
        Decoded decoded = decode(ArrowStreamEncoder.encode(List.of(), List.<Object[]>of(new Object[0], new Object[0])));

        assertThat(decoded.schema().getFields()).isEmpty();
        assertThat(decoded.batchRowCounts()).containsExactly(2);
    }

    @Test
    void twentyThousandRowsAreReadBack() throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            boolean isNull = i % 7 == 3;
            rows.add(new Object[] {
                isNull ? null : "row-" + i + (i % 5 == 0 ? EMOJI : ""),
                isNull ? null : (long) i * 1_000_003L - 10_000_000_000L,
                i % 11 == 0 ? null : i - 10_000,
                isNull ? null : i / 3.0,
                i % 13 == 0 ? null : i % 3 == 0,
                isNull ? null : 1_700_000_000_000_000L + i * 1_000_000L,
                i % 17 == 0 ? null : -1_700_000_000_000_000L + i,
                isNull ? null : i - 5_000});
        }

        byte[] stream = ArrowStreamEncoder.encode(EVERY_TYPE, rows);
        Decoded decoded = decode(stream);

        assertThat(decoded.batchRowCounts()).containsExactly(20_000);
        assertRows(decoded.rows(), rows);
        assertFraming(stream, EVERY_TYPE.size());
    }

    @Test
    void negativeAndPre1970TimestampsAndDatesAreReadBack() throws IOException {
        long microsPerDay = 86_400_000_000L;
        List<Object[]> rows = List.of(
                new Object[] {null, null, null, null, null, -1L, -1L, -1},
                // 1969-07-20T20:17:40Z and 0001-01-01
                new Object[] {null, null, null, null, null, -14_182_940_000_000L, -719_162L * microsPerDay, -719_162},
                new Object[] {null, null, null, null, null, Long.MIN_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE},
                new Object[] {null, null, null, null, null, Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE});

        Decoded decoded = decode(ArrowStreamEncoder.encode(EVERY_TYPE, rows));

        assertRows(decoded.rows(), rows);
    }

    @Test
    void aValueOfTheWrongClassIsRefusedNamingTheColumn() {
        List<Object[]> rows = List.of(
                new Object[] {"a", 1L, 1, 1.0, true, 1L, 1L, 1},
                new Object[] {"a", 1, 1, 1.0, true, 1L, 1L, 1});

        assertThatThrownBy(() -> ArrowStreamEncoder.encode(EVERY_TYPE, rows))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'i64'")
                .hasMessageContaining("row 1")
                .hasMessageContaining("java.lang.Long")
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> ArrowStreamEncoder.encode(
                        List.of(new ArrowField("when", ArrowColumnType.DATE_DAYS)),
                        List.<Object[]>of(new Object[] {java.time.LocalDate.EPOCH})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'when'");
        assertThatThrownBy(() -> ArrowStreamEncoder.encode(
                        List.of(new ArrowField("flag", ArrowColumnType.BOOL)), List.<Object[]>of(new Object[] {"true"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'flag'");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> ArrowStreamEncoder.encode(EVERY_TYPE, List.<Object[]>of(new Object[] {"a"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0 has 1 values");
    }

    @Test
    void theFramingFollowsTheIpcStreamFormat() {
        List<Object[]> rows = List.of(
                new Object[] {"abc", 1L, null, 1.0, true, 1L, 1L, 1},
                new Object[] {null, 2L, 3, 2.0, false, 2L, 2L, 2},
                new Object[] {"de", 3L, 4, 3.0, null, 3L, 3L, 3});

        assertFraming(ArrowStreamEncoder.encode(EVERY_TYPE, rows), EVERY_TYPE.size());
    }

    @Test
    void validityBitmapsAreOmittedOnlyWithoutNulls() throws IOException {
        List<ArrowField> fields = List.of(
                new ArrowField("full", ArrowColumnType.INT64), new ArrowField("holes", ArrowColumnType.INT64));
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 10; i++) {
            rows.add(new Object[] {i, i == 9 ? null : i});
        }

        RecordBatch batch = recordBatchMetadata(ArrowStreamEncoder.encode(fields, rows));

        assertThat(batch.buffersLength()).isEqualTo(4);
        assertThat(batch.buffers(0).length()).isZero();
        assertThat(batch.buffers(1).length()).isEqualTo(80);
        assertThat(batch.buffers(2).length()).isEqualTo(2);
        assertThat(batch.buffers(3).length()).isEqualTo(80);
        assertThat(batch.nodes(1).nullCount()).isEqualTo(1);
        assertThat(batch.nodes(1).length()).isEqualTo(10);
    }

    /** Walks the stream by hand: markers, metadata lengths, V5, body alignment, end of stream. */
    private static void assertFraming(byte[] stream, int columnCount) {
        ByteBuffer in = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        List<Byte> headerTypes = new ArrayList<>();
        while (true) {
            assertThat(in.position() % 8).isZero();
            assertThat(in.getInt()).isEqualTo(0xFFFFFFFF);
            int metadataLength = in.getInt();
            if (metadataLength == 0) {
                break;
            }
            assertThat(metadataLength % 8).isZero();
            ByteBuffer metadata = in.slice().order(ByteOrder.LITTLE_ENDIAN).limit(metadataLength);
            Message message = Message.getRootAsMessage(metadata);
            assertThat(message.version()).isEqualTo(MetadataVersion.V5);
            headerTypes.add(message.headerType());
            in.position(in.position() + metadataLength);
            if (message.headerType() == MessageHeader.RecordBatch) {
                RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
                assertThat(batch.nodesLength()).isEqualTo(columnCount);
                long end = 0;
                for (int i = 0; i < batch.buffersLength(); i++) {
                    Buffer buffer = batch.buffers(i);
                    assertThat(buffer.offset() % 8).isZero();
                    assertThat(buffer.offset()).isGreaterThanOrEqualTo(end);
                    end = buffer.offset() + buffer.length();
                }
                assertThat(message.bodyLength() % 8).isZero();
                assertThat(message.bodyLength()).isGreaterThanOrEqualTo(end);
            }
            in.position(Math.toIntExact(in.position() + message.bodyLength()));
        }
        assertThat(in.remaining()).isZero();
        assertThat(headerTypes).containsExactly(MessageHeader.Schema, MessageHeader.RecordBatch);
    }

    private static RecordBatch recordBatchMetadata(byte[] stream) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
                MessageChannelReader reader = new MessageChannelReader(
                        new ReadChannel(Channels.newChannel(new ByteArrayInputStream(stream))), allocator)) {
            MessageResult schema = reader.readNext();
            assertThat(schema.getMessage().headerType()).isEqualTo(MessageHeader.Schema);
            MessageResult batch = reader.readNext();
            assertThat(batch.getMessage().headerType()).isEqualTo(MessageHeader.RecordBatch);
            batch.getBodyBuffer().close();
            assertThat(reader.readNext()).isNull();
            return (RecordBatch) batch.getMessage().header(new RecordBatch());
        }
    }

    private static void assertRows(List<Object[]> actual, List<Object[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("row %d", i).containsExactly(expected.get(i));
        }
    }

    private record Decoded(Schema schema, List<Integer> batchRowCounts, List<Integer> nullCounts, List<Object[]> rows) {
    }

    /** Reads every batch with ArrowStreamReader, validating each vector fully, into plain Java values. */
    private static Decoded decode(byte[] stream) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Schema schema = root.getSchema();
            List<Integer> batchRowCounts = new ArrayList<>();
            List<Integer> nullCounts = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>();
            while (reader.loadNextBatch()) {
                ValueVectorUtility.validateFull(root);
                batchRowCounts.add(root.getRowCount());
                nullCounts.clear();
                for (FieldVector vector : root.getFieldVectors()) {
                    nullCounts.add(vector.getNullCount());
                }
                for (int row = 0; row < root.getRowCount(); row++) {
                    Object[] values = new Object[root.getFieldVectors().size()];
                    for (int column = 0; column < values.length; column++) {
                        values[column] = javaValue(root.getVector(column), row);
                    }
                    rows.add(values);
                }
            }
            return new Decoded(schema, batchRowCounts, List.copyOf(nullCounts), rows);
        }
    }

    private static Object javaValue(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof VarCharVector strings) {
            return new String(strings.get(row), UTF_8);
        } else if (vector instanceof BigIntVector longs) {
            return longs.get(row);
        } else if (vector instanceof IntVector ints) {
            return ints.get(row);
        } else if (vector instanceof Float8Vector doubles) {
            return doubles.get(row);
        } else if (vector instanceof BitVector bits) {
            return bits.get(row) == 1;
        } else if (vector instanceof TimeStampMicroTZVector timestamps) {
            return timestamps.get(row);
        } else if (vector instanceof TimeStampMicroVector timestamps) {
            return timestamps.get(row);
        } else if (vector instanceof DateDayVector dates) {
            return dates.get(row);
        }
        throw new AssertionError("unexpected vector " + vector.getClass().getName());
    }
}
