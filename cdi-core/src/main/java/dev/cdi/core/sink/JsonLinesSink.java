package dev.cdi.core.sink;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.WriteMode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RowSink} that appends one JSON object per resolved row to a file (JSON Lines), in the format of SPEC
 * section 12:
 * <pre>{"dataType": "attributes", "identifier": {"type": "external_id", "value": "u1"}, "updateExistingOnly": false,
 * "updatedAt": "2026-01-02T03:04:05.123456Z", "payload": {...}}</pre>
 * User aliases carry {@code alias_name} and {@code alias_label} instead of {@code value}; catalog deletions carry
 * {@code "deleted": true}; user deletes have no payload.
 *
 * <p>A line is written whole or not at all. Every batch is written and forced to disk before it is acknowledged,
 * so an acknowledged row is never lost; a batch whose write fails part-way (a full disk) is cut back to where it
 * began, so its retry does not land on top of its own partial output; and a partial last line that a killed
 * process left (never acknowledged) is cut when the file is opened. While open, the sink holds an exclusive lock
 * on the file, so that no other sink, in this process or another, interleaves its lines with this one's.
 *
 * <p>Accepts every row. Thread-safe (batches are written one at a time); close it when done.
 */
public final class JsonLinesSink implements RowSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesSink.class);
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final UnaryOperator<OutputStream> streamDecorator;
    private final JsonFactory factory = new JsonFactory();
    private long committedLength;

    /**
     * Opens a file for appending, creating it and its parent directories when missing, and cutting a partial last
     * line.
     *
     * @param file the file; must be a regular file when it exists
     * @throws UncheckedIOException when it cannot be opened, is not a regular file, or another sink holds it
     */
    public JsonLinesSink(Path file) {
        this(file, UnaryOperator.identity());
    }

    /** For tests: every batch is written through {@code streamDecorator}, which may fail as a full disk would. */
    JsonLinesSink(Path file, UnaryOperator<OutputStream> streamDecorator) {
        this.file = requireNonNull(file, "file is null");
        this.streamDecorator = requireNonNull(streamDecorator, "streamDecorator is null");
        FileChannel opened = null;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new IOException("it is not a regular file (a directory, a named pipe or a device)");
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.lock = lockExclusively(opened);
            this.channel = opened;
            this.committedLength = cutPartialLastLine();
        } catch (IOException e) {
            closeQuietly(opened);
            throw new UncheckedIOException("Cannot open JSON-lines sink file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    private FileLock lockExclusively(FileChannel opened) throws IOException {
        FileLock taken;
        try {
            taken = opened.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            taken = null;
        }
        if (taken == null) {
            throw new IOException("another sink (in this process or another one) is writing it; two writers would "
                    + "interleave their lines");
        }
        return taken;
    }

    /** Cuts the bytes after the last line break: a line a killed writer left half-written, never acknowledged. */
    private long cutPartialLastLine() throws IOException {
        long size = channel.size();
        long end = size;
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        while (end > 0) {
            long from = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - from));
            readFully(chunk, from);
            for (int i = chunk.limit() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return truncateTo(from + i + 1, size);
                }
            }
            end = from;
        }
        return truncateTo(0, size);
    }

    private long truncateTo(long length, long size) throws IOException {
        if (length < size) {
            log.warn("Cut a partial last line of {} bytes from {}: a writer stopped in the middle of it, before the "
                    + "row was acknowledged, so the row will be delivered again", size - length, file);
            channel.truncate(length);
            channel.force(false);
        }
        return length;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("the file shrank while it was read");
            }
            at += read;
        }
    }

    /**
     * The file this sink appends to.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    @Override
    public synchronized CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        try {
            channel.position(committedLength);
            OutputStream out = streamDecorator.apply(new BufferedOutputStream(
                    Channels.newOutputStream(new UnclosableChannel(channel)), BUFFER_BYTES));
            try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
                json.setRootValueSeparator(null);
                for (ResolvedRow row : batch) {
                    writeRow(json, row);
                    json.writeRaw('\n');
                }
            }
            channel.force(false);
            committedLength = channel.position();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException("Cannot write to " + file + ": " + e
                    + undoPartialWrite(), e instanceof IOException io ? io : new IOException(e)));
        }
        return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), RowOutcome.accepted()));
    }

    /** Cuts the file back to its last acknowledged batch; the retry then starts from there. */
    private String undoPartialWrite() {
        try {
            channel.truncate(committedLength);
            channel.force(false);
            return "; the file was cut back to its last acknowledged batch";
        } catch (IOException e) {
            // The retry writes at the acknowledged length anyway, over whatever is left.
            return "; cutting it back failed too (" + e + ")";
        }
    }

    private void writeRow(JsonGenerator json, ResolvedRow row) throws IOException {
        json.writeStartObject();
        json.writeStringField("dataType", row.dataType().configName());
        json.writeFieldName("identifier");
        IdentifierJson.write(json, row.identifier());
        json.writeBooleanField("updateExistingOnly", row.writeMode() == WriteMode.UPDATE_ONLY);
        json.writeStringField("updatedAt", DateTimeFormatter.ISO_INSTANT.format(row.updatedAt()));
        if (row.deleted()) {
            json.writeBooleanField("deleted", true);
        }
        if (row.payloadJson().isPresent()) {
            json.writeFieldName("payload");
            writePayload(json, row.payloadJson().get());
        }
        json.writeEndObject();
    }

    private void writePayload(JsonGenerator json, String payload) throws IOException {
        if (payload.indexOf('\n') < 0 && payload.indexOf('\r') < 0) {
            // Already validated JSON on one line: copy it as is rather than parse it again.
            json.writeRawValue(payload.strip());
            return;
        }
        try (JsonParser parser = factory.createParser(payload)) {
            parser.nextToken();
            json.copyCurrentStructure(parser);
        }
    }

    @Override
    public synchronized void close() {
        try {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close " + file, e);
        }
    }

    private static void closeQuietly(FileChannel opened) {
        if (opened != null) {
            try {
                opened.close();
            } catch (IOException ignored) {
                // Opening failed already; that failure is the one reported.
            }
        }
    }

    /** Lets a batch's stream be closed without closing the file. */
    private static final class UnclosableChannel implements WritableByteChannel {
        private final FileChannel channel;

        UnclosableChannel(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return channel.write(source);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
