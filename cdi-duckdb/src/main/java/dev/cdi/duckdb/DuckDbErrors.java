package dev.cdi.duckdb;

import dev.cdi.api.ErrorCode;
import java.sql.SQLException;
import java.util.Optional;

/**
 * DuckDB's errors carry no SQLState, only a message that starts with the error's kind ({@code Catalog Error},
 * {@code IO Error}, ...); this maps the messages CDI cares about. Stateless and thread-safe.
 */
final class DuckDbErrors {

    private DuckDbErrors() {
    }

    static Optional<ErrorCode> classify(SQLException exception) {
        String message = exception.getMessage();
        if (message == null) {
            return Optional.empty();
        }
        if (message.startsWith("Catalog Error:")
                && (message.contains("Table with name") || message.contains("Schema with name"))
                && message.contains("does not exist")) {
            return Optional.of(ErrorCode.TABLE_NOT_FOUND);
        }
        if (message.startsWith("Binder Error:") && message.contains("Catalog \"") && message.contains("does not exist")) {
            return Optional.of(ErrorCode.TABLE_NOT_FOUND);
        }
        if (message.contains("Could not set lock on file") || message.startsWith("Connection Error:")) {
            // Another process holds the file, or this JVM has it open with other settings: waiting can help.
            return Optional.of(ErrorCode.CONNECTION_FAILED);
        }
        if (message.startsWith("IO Error:") && (message.contains("database does not exist")
                || message.contains("No such file or directory") || message.contains("not a valid DuckDB database"))) {
            return Optional.of(ErrorCode.INVALID_CONFIGURATION);
        }
        if (message.startsWith("IO Error:") && message.contains("Permission denied")) {
            return Optional.of(ErrorCode.PERMISSION_DENIED);
        }
        if (message.startsWith("Out of Memory Error:")) {
            return Optional.of(ErrorCode.RESOURCE_EXHAUSTED);
        }
        if (message.contains("Java heap space") || message.contains("OutOfMemoryError")) {
            // The driver turns 2,048 rows at a time into Java strings, so very wide rows need a large heap.
            return Optional.of(ErrorCode.OUT_OF_MEMORY);
        }
        if (message.startsWith("INTERRUPT Error:") || message.startsWith("Interrupt Error:")) {
            return Optional.of(ErrorCode.QUERY_TIMEOUT);
        }
        return Optional.empty();
    }
}
