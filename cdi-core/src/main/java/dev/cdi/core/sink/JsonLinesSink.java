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
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RowSink} that appends one JSON object per resolved row to a file (JSON Lines), in the format of SPEC
 * section 12:
 * <pre>{"dataType": "attributes", "identifier": {"type": "external_id", "value": "u1"}, "updateExistingOnly": false,
 * "updatedAt": "2026-01-02T03:04:05.123456Z", "payload": {...}}</pre>
 * User aliases carry {@code alias_name} and {@code alias_label} instead of {@code value}; catalog deletions carry
 * {@code "deleted": true}; user deletes have no payload.
 *
 * <p>Every batch is written and forced to disk before it is acknowledged, so an acknowledged row is never lost.
 * Accepts every row. Thread-safe (batches are written one at a time); close it when done.
 */
public final class JsonLinesSink implements RowSink, AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final JsonGenerator json;
    private final JsonFactory factory = new JsonFactory();

    /**
     * Opens a file for appending, creating it and its parent directories when missing.
     *
     * @param file the file
     * @throws UncheckedIOException when it cannot be opened
     */
    public JsonLinesSink(Path file) {
        this.file = requireNonNull(file, "file is null");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.json = factory.createGenerator(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
                    JsonEncoding.UTF8);
            json.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open JSON-lines sink file " + file, e);
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
        List<RowOutcome> outcomes = new ArrayList<>(batch.size());
        try {
            for (ResolvedRow row : batch) {
                writeRow(row);
                json.writeRaw('\n');
                outcomes.add(RowOutcome.accepted());
            }
            json.flush();
            channel.force(false);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException("Cannot write to " + file, e));
        }
        return CompletableFuture.completedFuture(List.copyOf(outcomes));
    }

    private void writeRow(ResolvedRow row) throws IOException {
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
            writePayload(row.payloadJson().get());
        }
        json.writeEndObject();
    }

    private void writePayload(String payload) throws IOException {
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
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close " + file, e);
        }
    }
}
