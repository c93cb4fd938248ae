package dev.cdi.core.scheduler;

/**
 * The answer to "sync now", as the reference product's REST API gives it.
 *
 * <p>Thread-safe (an enum).
 */
public enum TriggerResult {
    /** The run was started. */
    ACCEPTED,
    /** Another run of the integration is in progress (in this JVM or another sharing the lease store). */
    ANOTHER_RUN_IN_PROGRESS,
    /** No active integration has that name. */
    NOT_FOUND
}
