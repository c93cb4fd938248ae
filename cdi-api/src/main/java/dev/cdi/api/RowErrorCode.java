package dev.cdi.api;

/**
 * Why one row was not synced. A row error is recorded and counted, and the run goes on with the next row.
 * The names are stable: scripts and dashboards rely on them.
 *
 * <p>Thread-safe (an enum).
 */
public enum RowErrorCode {
    /** {@code UPDATED_AT} is NULL. */
    NULL_UPDATED_AT,
    /**
     * {@code UPDATED_AT} lies below the range CDI handles, {@code 0001-01-01T00:00:00Z} to
     * {@code 9999-12-31T23:59:59.999999999Z} (such as {@code -infinity} or a year BC).
     */
    INVALID_UPDATED_AT,
    /**
     * An identifier value is only white space (Unicode spaces included), holds a control character (NUL, a line
     * break), or is longer than its limit: 512 characters for external id, alias name and label, braze id; 254 for
     * an email; 15 digits for a phone.
     */
    INVALID_IDENTIFIER,
    /** No identifier column is set. */
    MISSING_IDENTIFIER,
    /** More than one identifier kind is set (email with phone excepted). */
    MULTIPLE_IDENTIFIERS,
    /** Only one of {@code ALIAS_NAME} and {@code ALIAS_LABEL} is set. */
    INCOMPLETE_ALIAS,
    /** An identifier kind the data type does not accept, such as email on a user delete. */
    IDENTIFIER_NOT_ALLOWED,
    /** The email address is not valid. */
    INVALID_EMAIL,
    /** The phone number is not valid. */
    INVALID_PHONE,
    /** {@code PAYLOAD} is NULL or empty where one is required. */
    MISSING_PAYLOAD,
    /**
     * {@code PAYLOAD} does not parse, is not a JSON object, or holds what other parsers would read differently: a
     * duplicate key, a number a double cannot hold, an unpaired surrogate.
     */
    INVALID_JSON,
    /** {@code PAYLOAD} is over 1 MB of UTF-8. */
    PAYLOAD_TOO_LARGE,
    /** The attributes payload has over 250 top-level keys. */
    TOO_MANY_ATTRIBUTES,
    /** The payload sets an identifier field of its own. */
    IDENTIFIER_IN_PAYLOAD,
    /** A required event, purchase or catalog field is absent. */
    MISSING_FIELD,
    /** An event, purchase or catalog field has a wrong type or is out of range. */
    INVALID_FIELD,
    /** The catalog {@code ID} is missing, too long, or has characters outside {@code [A-Za-z0-9_-]}. */
    INVALID_CATALOG_ID,
    /** The row may only update an existing user and none exists (raised by a sink or profile store). */
    USER_NOT_FOUND,
    /**
     * The sink's destination refused the row, and sending it again unchanged will not help (raised by a sink, such
     * as Braze answering an error for the row's index in a request); the message holds the destination's own text.
     */
    REJECTED_BY_SINK
}
