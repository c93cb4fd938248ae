package dev.cdi.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncError;
import dev.cdi.core.sink.IdentifierJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The {@code --json} form of a run (SPEC section 12): one JSON object on one line, with the keys
 * {@code integration, status, rowsRead, rowsSynced, rowsFailed, rowsDeferred, watermark}, {@code error} only when
 * the run has a sync-level error, and {@code rowErrors}. Instants are ISO-8601 UTC at full precision.
 *
 * <p>Thread-safe (stateless).
 */
final class RunJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RunJson() {
    }

    /**
     * Formats a run.
     *
     * @param result the run
     * @return one line of JSON, without the line break
     */
    static String format(RunResult result) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("integration", result.integration());
            json.writeStringField("status", result.status().name());
            json.writeNumberField("rowsRead", result.rowsRead());
            json.writeNumberField("rowsSynced", result.rowsSynced());
            json.writeNumberField("rowsFailed", result.rowsFailed());
            json.writeNumberField("rowsDeferred", result.rowsDeferred());
            writeInstant(json, "watermark", result.watermark().map(watermark -> watermark.updatedAt()));
            if (result.error().isPresent()) {
                SyncError error = result.error().get();
                json.writeObjectFieldStart("error");
                json.writeStringField("category", error.category().name());
                json.writeStringField("message", error.message());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("rowErrors");
            for (RowError rowError : result.rowErrors()) {
                writeRowError(json, rowError);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to a string", e);
        }
        return text.toString();
    }

    private static void writeRowError(JsonGenerator json, RowError rowError) throws IOException {
        json.writeStartObject();
        json.writeStringField("code", rowError.code().name());
        json.writeStringField("message", rowError.message());
        writeInstant(json, "updatedAt", rowError.updatedAt());
        json.writeFieldName("identifier");
        if (rowError.identifier().isPresent()) {
            IdentifierJson.write(json, rowError.identifier().get());
        } else {
            json.writeNull();
        }
        json.writeEndObject();
    }

    private static void writeInstant(JsonGenerator json, String field, Optional<Instant> instant) throws IOException {
        if (instant.isPresent()) {
            json.writeStringField(field, DateTimeFormatter.ISO_INSTANT.format(instant.get()));
        } else {
            json.writeNullField(field);
        }
    }
}
