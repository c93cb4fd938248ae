package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

/**
 * A column as a source describes it, before CDI matched it: its name and its type name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the name as reported
 * @param typeName the type name as reported
 */
public record SourceColumn(String name, String typeName) {

    /** Checks both parts. */
    public SourceColumn {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
    }
}
