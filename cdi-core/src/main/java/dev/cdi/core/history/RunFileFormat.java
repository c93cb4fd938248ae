package dev.cdi.core.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.Watermark;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Writes and reads the JSON of one {@link FileRunHistory} run file. Stateless; thread-safe. */
final class RunFileFormat {
    static final int VERSION = 1;

    private RunFileFormat() {
    }

    static void write(JsonGenerator json, RunSummary run, List<RowError> errors) throws IOException {
        json.writeStartObject();
        json.writeNumberField("version", VERSION);
        json.writeStringField("runId", run.runId());
        json.writeStringField("integration", run.integration());
        json.writeStringField("status", run.status().name());
        json.writeStringField("startedAt", run.startedAt().toString());
        writeInstant(json, "finishedAt", run.finishedAt());
        json.writeNumberField("rowsRead", run.rowsRead());
        json.writeNumberField("rowsSynced", run.rowsSynced());
        json.writeNumberField("rowsFailed", run.rowsFailed());
        json.writeNumberField("rowsDeferred", run.rowsDeferred());
        writeInstant(json, "firstUpdatedAt", run.firstUpdatedAt());
        writeInstant(json, "lastUpdatedAt", run.lastUpdatedAt());
        if (run.watermark().isPresent()) {
            json.writeObjectFieldStart("watermark");
            json.writeStringField("updatedAt", run.watermark().get().updatedAt().toString());
            json.writeNumberField("rowsAtUpdatedAt", run.watermark().get().rowsAtUpdatedAt());
            json.writeEndObject();
        }
        if (run.error().isPresent()) {
            json.writeObjectFieldStart("error");
            json.writeStringField("code", run.error().get().code().name());
            json.writeStringField("message", run.error().get().message());
            json.writeEndObject();
        }
        json.writeArrayFieldStart("rowErrors");
        for (RowError error : errors) {
            writeRowError(json, error);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static RunSummary summary(JsonNode root) {
        if (root.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException("unknown format version " + root.path("version"));
        }
        Optional<Watermark> watermark = root.has("watermark")
                ? Optional.of(new Watermark(Instant.parse(root.get("watermark").required("updatedAt").asText()),
                        root.get("watermark").required("rowsAtUpdatedAt").asLong()))
                : Optional.empty();
        Optional<SyncError> error = root.has("error")
                ? Optional.of(new SyncError(ErrorCode.valueOf(root.get("error").required("code").asText()),
                        root.get("error").required("message").asText()))
                : Optional.empty();
        return new RunSummary(root.required("runId").asText(), root.required("integration").asText(),
                RunStatus.valueOf(root.required("status").asText()), Instant.parse(root.required("startedAt").asText()),
                instant(root, "finishedAt"), root.required("rowsRead").asLong(), root.required("rowsSynced").asLong(),
                root.required("rowsFailed").asLong(), root.required("rowsDeferred").asLong(),
                instant(root, "firstUpdatedAt"), instant(root, "lastUpdatedAt"), watermark, error);
    }

    static List<RowError> rowErrors(JsonNode root) {
        List<RowError> errors = new ArrayList<>();
        for (JsonNode node : root.path("rowErrors")) {
            Optional<Identifier> identifier = node.has("identifierType")
                    ? Optional.of(new StoredIdentifier(node.get("identifierType").asText(),
                            node.required("identifier").asText(), node.path("identifierLabel").asText()).toIdentifier())
                    : Optional.empty();
            Optional<String> excerpt = node.has("payloadExcerpt")
                    ? Optional.of(node.get("payloadExcerpt").asText()) : Optional.empty();
            errors.add(new RowError(RowErrorCode.valueOf(node.required("code").asText()),
                    node.required("message").asText(), identifier, instant(node, "updatedAt"), excerpt));
        }
        return errors;
    }

    private static void writeRowError(JsonGenerator json, RowError error) throws IOException {
        json.writeStartObject();
        json.writeStringField("code", error.code().name());
        json.writeStringField("message", error.message());
        if (error.identifier().isPresent()) {
            StoredIdentifier identifier = StoredIdentifier.of(error.identifier().get());
            json.writeStringField("identifierType", identifier.type());
            json.writeStringField("identifier", identifier.value());
            if (!identifier.label().isEmpty()) {
                json.writeStringField("identifierLabel", identifier.label());
            }
        }
        writeInstant(json, "updatedAt", error.updatedAt());
        if (error.payloadExcerpt().isPresent()) {
            json.writeStringField("payloadExcerpt", error.payloadExcerpt().get());
        }
        json.writeEndObject();
    }

    private static void writeInstant(JsonGenerator json, String field, Optional<Instant> instant) throws IOException {
        if (instant.isPresent()) {
            json.writeStringField(field, instant.get().toString());
        }
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        return node.has(field) ? Optional.of(Instant.parse(node.get(field).asText())) : Optional.empty();
    }
}
