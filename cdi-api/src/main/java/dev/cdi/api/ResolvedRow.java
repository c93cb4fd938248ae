package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A valid source row, resolved to exactly one target: what a {@link RowSink} receives.
 *
 * <p>The payload is the row's JSON object as text, already validated (it parses and is an object); events and
 * purchases have {@code time} filled in from {@code UPDATED_AT} when the source row had none. User deletes have
 * no payload; catalog deletions have none either. Immutable and thread-safe.
 *
 * @param dataType the data type of the integration
 * @param identifier the single target
 * @param writeMode whether the row may create a user
 * @param updatedAt the row's {@code UPDATED_AT}, at source precision
 * @param payloadJson the JSON object as text, or empty for deletes
 * @param deleted true for a catalog item deletion ({@code DELETED} was true)
 */
public record ResolvedRow(
        DataType dataType,
        Identifier identifier,
        WriteMode writeMode,
        Instant updatedAt,
        Optional<String> payloadJson,
        boolean deleted) {

    /** Validates that every part is present. */
    public ResolvedRow {
        requireNonNull(dataType, "dataType is null");
        requireNonNull(identifier, "identifier is null");
        requireNonNull(writeMode, "writeMode is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(payloadJson, "payloadJson is null");
        if (deleted && dataType != DataType.CATALOG) {
            throw new IllegalArgumentException("only catalog rows can be deletions; user deletes are their own data type");
        }
    }

    @Override
    public String toString() {
        // Payloads can be large and may hold personal data: show their size only.
        return "ResolvedRow[" + dataType.configName() + ", " + identifier.typeName() + ", " + writeMode + ", "
                + updatedAt + ", payload " + payloadJson.map(p -> p.length() + " chars").orElse("none")
                + (deleted ? ", deleted" : "") + "]";
    }
}
