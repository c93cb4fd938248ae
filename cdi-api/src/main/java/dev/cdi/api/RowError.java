package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One row that was not synced, and why.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code the stable error code
 * @param message what was wrong, naming the field where there is one; at most {@link #MESSAGE_LENGTH} characters
 * @param identifier the row's identifier, when one could be read
 * @param updatedAt the row's {@code UPDATED_AT}, unless it was NULL
 * @param payloadExcerpt the first characters of the payload, when there was one
 */
public record RowError(
        RowErrorCode code,
        String message,
        Optional<Identifier> identifier,
        Optional<Instant> updatedAt,
        Optional<String> payloadExcerpt) {

    /** The most characters of a payload kept in a row error. */
    public static final int PAYLOAD_EXCERPT_LENGTH = 1_000;

    /** The most characters of a message kept in a row error; a longer one (a sink's, say) is cut and marked. */
    public static final int MESSAGE_LENGTH = 1_000;

    /** Validates every part and truncates the message and the payload excerpt. */
    public RowError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(identifier, "identifier is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(payloadExcerpt, "payloadExcerpt is null");
        if (message.length() > MESSAGE_LENGTH) {
            message = message.substring(0, MESSAGE_LENGTH - 1) + "\u2026";
        }
        payloadExcerpt = payloadExcerpt.map(p -> p.length() > PAYLOAD_EXCERPT_LENGTH
                ? p.substring(0, PAYLOAD_EXCERPT_LENGTH) : p);
    }

    @Override
    public String toString() {
        return "RowError[" + code + ": " + message + ", updatedAt=" + updatedAt.map(Instant::toString).orElse("NULL")
                + identifier.map(id -> ", " + id.typeName()).orElse("") + "]";
    }
}
