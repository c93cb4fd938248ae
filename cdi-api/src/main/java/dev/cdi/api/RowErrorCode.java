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
    /** {@code PAYLOAD} does not parse, or is not a JSON object. */
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
    USER_NOT_FOUND
}
