package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where an {@link IntegrationRegistry} keeps its workspaces, credentials and integrations: the source of truth that
 * several registries, in one process or in several, share. A store never decides anything; it remembers, and it
 * applies a set of changes only when nobody else changed the registry since the caller read it.
 *
 * <p>The whole registry has one {@linkplain #registryRevision() revision}, a number that grows by one with every commit.
 * A registry reads a {@link Snapshot}, checks its rules against it, and {@linkplain #commitRegistry commits} its changes
 * with the revision it read; a commit made meanwhile by another registry makes that commit fail, and the registry
 * reads again. Credentials reach the store only encrypted.
 *
 * <p>Implementations must be thread-safe: every method may be called from any thread at any time, also by several
 * registries at once. Failures throw {@link dev.cdi.api.CdiException} (for a database,
 * {@link dev.cdi.api.ErrorCode#STATE_STORE_FAILED}) and leave the store as it was.
 */
public interface RegistryStore {

    /**
     * The current revision; cheap, so that a registry can call it before every read to tell whether its cached
     * snapshot is still current.
     *
     * @return the revision, 0 for a store that was never written
     */
    long registryRevision();

    /**
     * Everything stored, read consistently, with the revision it was read at.
     *
     * @return the snapshot
     */
    Snapshot loadRegistry();

    /**
     * Applies the changes, in order and all or none, when the registry's revision is still
     * {@code expectedRevision}, and raises the revision by one.
     *
     * @param expectedRevision the revision of the snapshot the changes were decided on
     * @param changes the changes, not empty
     * @return true when applied; false, changing nothing, when the revision has moved on meanwhile
     */
    boolean commitRegistry(long expectedRevision, List<RegistryChange> changes);

    /**
     * What a store holds at one revision.
     *
     * <p>Immutable and thread-safe.
     *
     * @param revision the revision the contents were read at, not negative
     * @param workspaces the workspaces
     * @param credentials the credentials, their values encrypted
     * @param integrations the integrations with their status, last test outcome and version
     */
    record Snapshot(long revision, List<Workspace> workspaces, List<EncryptedCredential> credentials,
            List<RegisteredIntegration> integrations) {

        /** Validates and copies the lists. */
        public Snapshot {
            if (revision < 0) {
                throw new IllegalArgumentException("revision is negative: " + revision);
            }
            workspaces = List.copyOf(requireNonNull(workspaces, "workspaces is null"));
            credentials = List.copyOf(requireNonNull(credentials, "credentials is null"));
            integrations = List.copyOf(requireNonNull(integrations, "integrations is null"));
        }
    }
}
