package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

/**
 * An integration as the registry holds it: its definition, its status, what its last connection test found, and
 * its version.
 *
 * <p>The version is the {@linkplain RegistryStore#registryRevision() registry revision} of the integration's last change:
 * it grows whenever anything about the integration changes, in this process or another one sharing the store. Pass
 * it to {@link IntegrationRegistry#update(String, long, IntegrationDefinition)} so that an update decided on what
 * was read is refused if someone changed the integration since.
 *
 * <p>Immutable and thread-safe; a snapshot, not updated when the registry changes.
 *
 * @param definition what the integration is
 * @param status where it is in its life
 * @param lastTest what its last connection test since creation or its last connection change found
 * @param version the registry revision of its last change, positive
 */
public record RegisteredIntegration(IntegrationDefinition definition, IntegrationStatus status, TestOutcome lastTest,
        long version) {

    /** Validates every part. */
    public RegisteredIntegration {
        requireNonNull(definition, "definition is null");
        requireNonNull(status, "status is null");
        requireNonNull(lastTest, "lastTest is null");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, was " + version);
        }
    }

    /**
     * The integration's name.
     *
     * @return {@code definition().name()}
     */
    public String name() {
        return definition.name();
    }

    /**
     * What a connection test found.
     *
     * <p>Thread-safe (an enum).
     */
    public enum TestOutcome {
        /** Not tested since it was created or its connection, table or credential changed. */
        NOT_TESTED,
        /** The last test passed: it may be activated. */
        PASSED,
        /** The last test failed: it may not be activated until a test passes. */
        FAILED
    }
}
