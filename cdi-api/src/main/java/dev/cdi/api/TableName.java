package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The table or view an integration reads: {@code [database.]schema.table}.
 *
 * <p>Parts are kept as written; dialects quote them (so a name holding a quote is quoted, never executed).
 * Control characters are refused. Immutable and thread-safe.
 *
 * @param database the database (catalog, project) part, when given
 * @param schema the schema (dataset) part
 * @param table the table or view name
 */
public record TableName(Optional<String> database, String schema, String table) {

    private static final int MAX_PART_LENGTH = 255;

    /** Validates every part. */
    public TableName {
        requireNonNull(database, "database is null");
        database.ifPresent(part -> checkPart(part, "database"));
        checkPart(schema, "schema");
        checkPart(table, "table");
    }

    /**
     * Parses {@code schema.table} or {@code database.schema.table}.
     *
     * @param qualifiedName the dotted name
     * @return the table name
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the name has not two or three parts
     */
    public static TableName parse(String qualifiedName) {
        requireNonNull(qualifiedName, "qualifiedName is null");
        String[] parts = qualifiedName.split("\\.", -1);
        try {
            switch (parts.length) {
                case 2:
                    return new TableName(Optional.empty(), parts[0], parts[1]);
                case 3:
                    return new TableName(Optional.of(parts[0]), parts[1], parts[2]);
                default:
                    throw new IllegalArgumentException("expected schema.table or database.schema.table");
            }
        } catch (IllegalArgumentException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Invalid table name '" + qualifiedName + "': " + e.getMessage());
        }
    }

    private static void checkPart(String part, String name) {
        requireNonNull(part, name + " is null");
        if (part.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (part.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_PART_LENGTH + " characters");
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.isISOControl(part.charAt(i))) {
                throw new IllegalArgumentException(name + " contains a control character");
            }
        }
    }

    @Override
    public String toString() {
        return database.map(d -> d + ".").orElse("") + schema + "." + table;
    }
}
