package dev.cdi.core.registry;

/**
 * Where an integration is in its life (SPEC section 9).
 *
 * <p>Thread-safe (an enum).
 */
public enum IntegrationStatus {
    /** Created or changed and not (re)activated: it does not run on its schedule. */
    DRAFT,
    /** Tested successfully and activated: the scheduler runs it. */
    ACTIVE,
    /** Activated once, then paused: it does not run until resumed. */
    PAUSED
}
