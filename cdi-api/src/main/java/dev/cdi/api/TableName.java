package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The table or view an integration reads: {@code [database.]schema.table}.
 *
 * <p>Parts are kept as written; dialects quote them (so a name holding a quote is quoted, never executed).
 * Characters that no warehouse allows in a name are refused here, before anything connects: control characters,
 * invisible format characters (such as bidirectional overrides and zero-width spaces), line separators, unpaired
 * surrogates, non-characters, and blanks at either end of a part.
 * Immutable and thread-safe.
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
                    "Invalid table name '" + shown(qualifiedName) + "': " + e.getMessage());
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
        if (Character.isWhitespace(part.codePointAt(0)) || Character.isWhitespace(part.codePointBefore(part.length()))) {
            throw new IllegalArgumentException(name + " starts or ends with a blank");
        }
        for (int i = 0; i < part.length(); ) {
            int codePoint = part.codePointAt(i);
            String refused = refusedKind(codePoint);
            if (refused != null) {
                // The character itself is not shown: printing it could forge or hide log lines.
                throw new IllegalArgumentException(name + " contains " + refused + " (U+"
                        + String.format("%04X", codePoint) + ") at position " + i
                        + ", which no warehouse allows in a name");
            }
            i += Character.charCount(codePoint);
        }
    }

    /** The name with every refused character written as {@code <U+XXXX>}, so that a message cannot forge log lines. */
    private static String shown(String name) {
        StringBuilder shown = new StringBuilder(name.length());
        name.codePoints().forEach(codePoint -> {
            if (refusedKind(codePoint) != null) {
                shown.append("<U+").append(String.format("%04X", codePoint)).append('>');
            } else {
                shown.appendCodePoint(codePoint);
            }
        });
        return shown.toString();
    }

    /** Why no warehouse CDI reads accepts this character in a table name, or null when some do. */
    private static String refusedKind(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return "a control character";
        }
        if (Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
            return "an unpaired surrogate";
        }
        if (codePoint == 0xFFFE || codePoint == 0xFFFF || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF)) {
            return "a non-character";
        }
        return switch (Character.getType(codePoint)) {
            case Character.FORMAT -> "an invisible format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return database.map(d -> d + ".").orElse("") + schema + "." + table;
    }
}
