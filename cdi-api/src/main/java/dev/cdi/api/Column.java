package dev.cdi.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The source table columns CDI reads. Their names are fixed and matched case-insensitively; any other
 * column of the table is ignored.
 *
 * <p>Thread-safe (an enum).
 */
public enum Column {
    /** When the row was added or last changed; a timestamp, UTC. */
    UPDATED_AT,
    /** The user's external id. */
    EXTERNAL_ID,
    /** The name half of a user alias. */
    ALIAS_NAME,
    /** The label half of a user alias. */
    ALIAS_LABEL,
    /** An internal user id: can update a user, never create one. */
    BRAZE_ID,
    /** An email address. */
    EMAIL,
    /** A phone number. */
    PHONE,
    /** The row's JSON object. */
    PAYLOAD,
    /** A catalog item's id. */
    ID,
    /** A catalog item's deletion flag. */
    DELETED;

    /**
     * Finds the column a source column name stands for, ignoring case.
     *
     * @param sourceName a column name as the warehouse reports it
     * @return the column, or empty when CDI does not read a column of that name
     */
    public static Optional<Column> fromSourceName(String sourceName) {
        try {
            return Optional.of(valueOf(sourceName.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }
}
