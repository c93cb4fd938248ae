package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

/**
 * One nullable column of an Arrow stream written by {@link ArrowStreamEncoder}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the column name, any string (Arrow allows empty and duplicate names)
 * @param type the column's Arrow type
 */
record ArrowField(String name, ArrowColumnType type) {
    ArrowField {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
