package dev.cdi.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.Bool;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Date;
import org.apache.arrow.flatbuf.DateUnit;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.TimeUnit;
import org.apache.arrow.flatbuf.Timestamp;
import org.apache.arrow.flatbuf.Type;
import org.apache.arrow.flatbuf.Utf8;

/**
 * Writes rows as one Arrow IPC stream (the format of a Databricks "Cloud Fetch" result file): the Schema
 * message, one RecordBatch message with its body, and the end-of-stream marker. Metadata version V5, little
 * endian, no compression, no dictionaries; every field nullable.
 *
 * <p>Each message is framed as the continuation marker {@code 0xFFFFFFFF}, the int32 length of the
 * metadata, and the flatbuffer {@code Message} padded so the body starts at a multiple of 8 bytes. Body
 * buffers start at multiples of 8 bytes (what Arrow's own IPC writers use); a buffer's recorded length is
 * its unpadded length. A validity bitmap is omitted (length 0) when the column has no null.
 *
 * <p>Stateless and thread-safe; {@link #encode} may be called any number of times, concurrently.
 */
final class ArrowStreamEncoder {
    private static final int ALIGNMENT = 8;
    private static final int CONTINUATION_MARKER = 0xFFFFFFFF;
    private static final String UTC_TIME_ZONE = "Etc/UTC";
    // The largest array most JVMs allocate.
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final byte[] NO_BYTES = new byte[0];

    private ArrowStreamEncoder() {
    }

    /**
     * Encodes rows as one Arrow IPC stream: schema, one record batch (empty when there are no rows), end of
     * stream.
     *
     * <p>Row {@code r} holds one value per field, in field order. A value is {@code null} for SQL NULL, else of
     * exactly the class {@link ArrowColumnType#valueClass()} names: {@link String}, {@link Long},
     * {@link Integer}, {@link Double}, {@link Boolean}, {@link Long} microseconds since the epoch for
     * timestamps, {@link Integer} days since the epoch for dates. Strings are written as UTF-8; an unpaired
     * surrogate becomes {@code '?'}.
     *
     * @param fields the columns; may be empty
     * @param rows the rows, each an array with one value per field; read once per column and not kept
     * @return the bytes of the stream
     * @throws IllegalArgumentException if a row has the wrong number of values, a value has the wrong class
     *     (the message names the column and row), or the stream would not fit in a byte array
     */
    static byte[] encode(List<ArrowField> fields, List<Object[]> rows) {
        List<ArrowField> columns = List.copyOf(requireNonNull(fields, "fields is null"));
        requireNonNull(rows, "rows is null");
        int rowIndex = 0;
        for (Object[] row : rows) {
            if (row == null) {
                throw new NullPointerException("row " + rowIndex + " is null");
            }
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("row %d has %d values, expected one per field (%d)"
                        .formatted(rowIndex, row.length, columns.size()));
            }
            rowIndex++;
        }
        int rowCount = rowIndex;

        List<EncodedColumn> encodedColumns = new ArrayList<>(columns.size());
        for (int column = 0; column < columns.size(); column++) {
            encodedColumns.add(encodeColumn(columns.get(column), column, rows, rowCount));
        }
        long bodyLength = 0;
        for (EncodedColumn column : encodedColumns) {
            for (BodyBuffer buffer : column.buffers()) {
                bodyLength += padded(buffer.length());
            }
        }

        byte[] schema = schemaMessage(columns);
        byte[] batch = recordBatchMessage(rowCount, encodedColumns, bodyLength);
        long streamLength = framedLength(schema) + framedLength(batch) + bodyLength + 8;
        if (streamLength > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(
                    "the stream would take " + streamLength + " bytes, more than a byte array holds; send fewer rows");
        }

        byte[] stream = new byte[(int) streamLength];
        ByteBuffer target = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        writeMessage(target, schema);
        writeMessage(target, batch);
        for (EncodedColumn column : encodedColumns) {
            for (BodyBuffer buffer : column.buffers()) {
                target.put(buffer.bytes(), 0, buffer.length());
                target.position(target.position() + padding(buffer.length()));
            }
        }
        target.putInt(CONTINUATION_MARKER);
        target.putInt(0);
        return stream;
    }

    private static EncodedColumn encodeColumn(ArrowField field, int column, List<Object[]> rows, int rowCount) {
        ArrowColumnType type = field.type();
        byte[] validity = new byte[bitmapLength(rowCount)];
        ByteBuffer values = switch (type) {
            case INT64, FLOAT64, TIMESTAMP_MICROS_UTC, TIMESTAMP_MICROS -> allocate(field, rowCount, Long.BYTES);
            case INT32, DATE_DAYS -> allocate(field, rowCount, Integer.BYTES);
            case BOOL -> ByteBuffer.wrap(new byte[bitmapLength(rowCount)]);
            case UTF8 -> allocate(field, (long) rowCount + 1, Integer.BYTES);
        };
        Utf8Data utf8 = type == ArrowColumnType.UTF8 ? new Utf8Data(field, rowCount) : null;

        int nullCount = 0;
        int row = 0;
        for (Object[] rowValues : rows) {
            Object value = rowValues[column];
            if (value == null) {
                nullCount++;
            } else {
                if (value.getClass() != type.valueClass()) {
                    throw new IllegalArgumentException("column '%s' (%s), row %d: expected %s, got %s"
                            .formatted(field.name(), type, row, type.valueClass().getName(),
                                    value.getClass().getName()));
                }
                setBit(validity, row);
                switch (type) {
                    case UTF8 -> utf8.append((String) value);
                    case INT64, TIMESTAMP_MICROS_UTC, TIMESTAMP_MICROS ->
                            values.putLong(row * Long.BYTES, (Long) value);
                    case INT32, DATE_DAYS -> values.putInt(row * Integer.BYTES, (Integer) value);
                    case FLOAT64 -> values.putDouble(row * Double.BYTES, (Double) value);
                    case BOOL -> {
                        if ((Boolean) value) {
                            setBit(values.array(), row);
                        }
                    }
                }
            }
            if (utf8 != null) {
                // Offsets are written for null rows too: a null string spans no bytes.
                values.putInt((row + 1) * Integer.BYTES, utf8.length());
            }
            row++;
        }

        BodyBuffer validityBuffer = nullCount == 0
                ? new BodyBuffer(NO_BYTES, 0)
                : new BodyBuffer(validity, validity.length);
        BodyBuffer valuesBuffer = new BodyBuffer(values.array(), values.capacity());
        List<BodyBuffer> buffers = utf8 == null
                ? List.of(validityBuffer, valuesBuffer)
                : List.of(validityBuffer, valuesBuffer, new BodyBuffer(utf8.bytes(), utf8.length()));
        return new EncodedColumn(nullCount, buffers);
    }

    private static ByteBuffer allocate(ArrowField field, long count, int width) {
        long length = count * width;
        if (length > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("column '" + field.name() + "' would need a buffer of "
                    + length + " bytes, more than a byte array holds; send fewer rows");
        }
        return ByteBuffer.wrap(new byte[(int) length]).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] schemaMessage(List<ArrowField> fields) {
        FlatBufferBuilder builder = new FlatBufferBuilder(128 + 64 * fields.size());
        int[] fieldOffsets = new int[fields.size()];
        for (int i = 0; i < fieldOffsets.length; i++) {
            fieldOffsets[i] = field(builder, fields.get(i));
        }
        int fieldsVector = Schema.createFieldsVector(builder, fieldOffsets);
        Schema.startSchema(builder);
        Schema.addEndianness(builder, Endianness.Little);
        Schema.addFields(builder, fieldsVector);
        return finishMessage(builder, MessageHeader.Schema, Schema.endSchema(builder), 0);
    }

    private static int field(FlatBufferBuilder builder, ArrowField field) {
        int name = builder.createString(field.name());
        byte typeTag = switch (field.type()) {
            case UTF8 -> Type.Utf8;
            case INT64, INT32 -> Type.Int;
            case FLOAT64 -> Type.FloatingPoint;
            case BOOL -> Type.Bool;
            case TIMESTAMP_MICROS_UTC, TIMESTAMP_MICROS -> Type.Timestamp;
            case DATE_DAYS -> Type.Date;
        };
        int type = switch (field.type()) {
            case UTF8 -> {
                Utf8.startUtf8(builder);
                yield Utf8.endUtf8(builder);
            }
            case INT64 -> Int.createInt(builder, 64, true);
            case INT32 -> Int.createInt(builder, 32, true);
            case FLOAT64 -> FloatingPoint.createFloatingPoint(builder, Precision.DOUBLE);
            case BOOL -> {
                Bool.startBool(builder);
                yield Bool.endBool(builder);
            }
            case TIMESTAMP_MICROS_UTC ->
                    Timestamp.createTimestamp(builder, TimeUnit.MICROSECOND, builder.createString(UTC_TIME_ZONE));
            case TIMESTAMP_MICROS -> Timestamp.createTimestamp(builder, TimeUnit.MICROSECOND, 0);
            case DATE_DAYS -> Date.createDate(builder, DateUnit.DAY);
        };
        int children = Field.createChildrenVector(builder, new int[0]);
        return Field.createField(builder, name, true, typeTag, type, 0, children, 0);
    }

    private static byte[] recordBatchMessage(int rowCount, List<EncodedColumn> columns, long bodyLength) {
        List<BodyBuffer> buffers = new ArrayList<>(columns.size() * 3);
        for (EncodedColumn column : columns) {
            buffers.addAll(column.buffers());
        }
        long[] bufferOffsets = new long[buffers.size()];
        long offset = 0;
        for (int i = 0; i < bufferOffsets.length; i++) {
            bufferOffsets[i] = offset;
            offset += padded(buffers.get(i).length());
        }

        FlatBufferBuilder builder = new FlatBufferBuilder(128 + 16 * columns.size() + 16 * buffers.size());
        // Vectors of structs are built back to front.
        RecordBatch.startNodesVector(builder, columns.size());
        for (int i = columns.size() - 1; i >= 0; i--) {
            FieldNode.createFieldNode(builder, rowCount, columns.get(i).nullCount());
        }
        int nodes = builder.endVector();
        RecordBatch.startBuffersVector(builder, buffers.size());
        for (int i = buffers.size() - 1; i >= 0; i--) {
            Buffer.createBuffer(builder, bufferOffsets[i], buffers.get(i).length());
        }
        int bufferVector = builder.endVector();
        int batch = RecordBatch.createRecordBatch(builder, rowCount, nodes, bufferVector, 0, 0);
        return finishMessage(builder, MessageHeader.RecordBatch, batch, bodyLength);
    }

    private static byte[] finishMessage(FlatBufferBuilder builder, byte headerType, int header, long bodyLength) {
        int message = Message.createMessage(builder, MetadataVersion.V5, headerType, header, bodyLength, 0);
        Message.finishMessageBuffer(builder, message);
        return builder.sizedByteArray();
    }

    private static void writeMessage(ByteBuffer target, byte[] metadata) {
        target.putInt(CONTINUATION_MARKER);
        target.putInt(Math.toIntExact(padded(metadata.length)));
        target.put(metadata);
        target.position(target.position() + padding(metadata.length));
    }

    private static long framedLength(byte[] metadata) {
        return 8 + padded(metadata.length);
    }

    private static long padded(int length) {
        return (long) length + padding(length);
    }

    private static int padding(int length) {
        return (ALIGNMENT - length % ALIGNMENT) % ALIGNMENT;
    }

    private static int bitmapLength(int bits) {
        return (int) (((long) bits + 7) / 8);
    }

    /** Sets bit {@code index} of an LSB-first bitmap. */
    private static void setBit(byte[] bitmap, int index) {
        bitmap[index >>> 3] |= (byte) (1 << (index & 7));
    }

    /** A body buffer: the first {@code length} bytes of {@code bytes}. */
    private record BodyBuffer(byte[] bytes, int length) {
    }

    private record EncodedColumn(int nullCount, List<BodyBuffer> buffers) {
    }

    /** The data buffer of a Utf8 column, grown by doubling so appending stays linear. */
    private static final class Utf8Data {
        private final ArrowField field;
        private byte[] bytes;
        private int length;

        Utf8Data(ArrowField field, int rowCount) {
            this.field = field;
            this.bytes = new byte[(int) Math.min(MAX_ARRAY_LENGTH, Math.max(64L, 16L * rowCount))];
        }

        void append(String value) {
            byte[] encoded = value.getBytes(UTF_8);
            long needed = (long) length + encoded.length;
            if (needed > MAX_ARRAY_LENGTH) {
                throw new IllegalArgumentException("column '" + field.name()
                        + "' holds more UTF-8 bytes than int32 offsets address; send fewer rows");
            }
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_ARRAY_LENGTH, Math.max(needed, 2L * bytes.length)));
            }
            System.arraycopy(encoded, 0, bytes, length, encoded.length);
            length = (int) needed;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }
    }
}
