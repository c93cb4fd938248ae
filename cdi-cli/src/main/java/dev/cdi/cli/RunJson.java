package dev.cdi.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncError;
import dev.cdi.core.history.RecordedRowError;
import dev.cdi.core.history.RunSummary;
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

    /**
     * Formats a run from the run history, for {@code cdi runs --json}: the keys {@code runId, integration, status,
     * startedAt, finishedAt, rowsRead, rowsSynced, rowsFailed, rowsDeferred, firstUpdatedAt, lastUpdatedAt,
     * watermark}, and {@code error} only when the run has a sync-level error.
     *
     * @param run the run
     * @return one line of JSON, without the line break
     */
    static String format(RunSummary run) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("runId", run.runId());
            json.writeStringField("integration", run.integration());
            json.writeStringField("status", run.status().name());
            writeInstant(json, "startedAt", Optional.of(run.startedAt()));
            writeInstant(json, "finishedAt", run.finishedAt());
            json.writeNumberField("rowsRead", run.rowsRead());
            json.writeNumberField("rowsSynced", run.rowsSynced());
            json.writeNumberField("rowsFailed", run.rowsFailed());
            json.writeNumberField("rowsDeferred", run.rowsDeferred());
            writeInstant(json, "firstUpdatedAt", run.firstUpdatedAt());
            writeInstant(json, "lastUpdatedAt", run.lastUpdatedAt());
            writeInstant(json, "watermark", run.watermark().map(watermark -> watermark.updatedAt()));
            if (run.error().isPresent()) {
                SyncError error = run.error().get();
                json.writeObjectFieldStart("error");
                json.writeStringField("code", error.code().name());
                json.writeStringField("category", error.category().name());
                json.writeStringField("message", error.message());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to a string", e);
        }
        return text.toString();
    }

    /**
     * Formats a row error from the run history, for {@code cdi errors --json}: the keys {@code runId, position},
     * then those of a row error in a run ({@code code, message, updatedAt, identifier}).
     *
     * @param recorded the row error
     * @return one line of JSON, without the line break
     */
    static String format(RecordedRowError recorded) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("runId", recorded.runId());
            json.writeNumberField("position", recorded.position());
            writeRowErrorFields(json, recorded.error());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to a string", e);
        }
        return text.toString();
    }

    private static void writeRowError(JsonGenerator json, RowError rowError) throws IOException {
        json.writeStartObject();
        writeRowErrorFields(json, rowError);
        json.writeEndObject();
    }

    private static void writeRowErrorFields(JsonGenerator json, RowError rowError) throws IOException {
        json.writeStringField("code", rowError.code().name());
        json.writeStringField("message", rowError.message());
        writeInstant(json, "updatedAt", rowError.updatedAt());
        json.writeFieldName("identifier");
        if (rowError.identifier().isPresent()) {
            IdentifierJson.write(json, rowError.identifier().get());
        } else {
            json.writeNull();
        }
    }

    private static void writeInstant(JsonGenerator json, String field, Optional<Instant> instant) throws IOException {
        if (instant.isPresent()) {
            json.writeStringField(field, DateTimeFormatter.ISO_INSTANT.format(instant.get()));
        } else {
            json.writeNullField(field);
        }
    }
}
