package dev.cdi.api;

/**
 * Whether a resolved row may create the user it targets.
 *
 * <p>Thread-safe (an enum).
 */
public enum WriteMode {
    /** Update the user, creating it when it does not exist. */
    CREATE_OR_UPDATE,
    /** Update the user only if it exists; otherwise the row fails with {@link RowErrorCode#USER_NOT_FOUND}. */
    UPDATE_ONLY
}
