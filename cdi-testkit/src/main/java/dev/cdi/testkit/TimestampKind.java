package dev.cdi.testkit;

/**
 * Which kind of {@code UPDATED_AT} column {@link BaseConnectorTest} asks an engine to create.
 *
 * <p>Thread-safe (an enum).
 */
public enum TimestampKind {
    /** A time-zone-less timestamp holding UTC wall-clock time, at microsecond precision at least. */
    WITHOUT_TIME_ZONE,
    /** A timestamp with time zone. */
    WITH_TIME_ZONE,
    /**
     * A time-zone-less timestamp at nanosecond precision; only asked of connectors that declare
     * {@link dev.cdi.api.ConnectorCapability#NANOSECOND_TIMESTAMPS}.
     */
    WITHOUT_TIME_ZONE_NANOS
}
