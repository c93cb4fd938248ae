package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where an {@link IntegrationRegistry} keeps its workspaces, credentials and integrations so that they outlive the
 * process. The registry reads everything once, when it is constructed, and then writes each change through before it
 * makes it visible; a store never decides anything, it only remembers. Credentials reach it only encrypted.
 *
 * <p>Implementations must be thread-safe; the registry calls the write methods under its own lock, so one registry
 * never calls them concurrently. Failures throw {@link dev.cdi.api.CdiException} (for a database,
 * {@link dev.cdi.api.ErrorCode#STATE_STORE_FAILED}) and leave the stored entry as it was.
 */
public interface RegistryStore {

    /**
     * Everything stored; called once per registry, at its construction.
     *
     * @return the stored workspaces, credentials and integrations
     */
    Contents loadRegistry();

    /**
     * Stores a workspace, replacing one of the same name.
     *
     * @param workspace the workspace
     */
    void saveWorkspace(Workspace workspace);

    /**
     * Stores a credential, replacing one of the same name.
     *
     * @param credential the credential, its values encrypted
     */
    void saveCredential(EncryptedCredential credential);

    /**
     * Forgets a credential; nothing happens when there is none of that name.
     *
     * @param name the credential's name
     */
    void deleteCredential(String name);

    /**
     * Stores an integration with its status and last test outcome, replacing one of the same name.
     *
     * @param integration the integration
     */
    void saveIntegration(RegisteredIntegration integration);

    /**
     * Forgets an integration; nothing happens when there is none of that name.
     *
     * @param name the integration's name
     */
    void deleteIntegration(String name);

    /**
     * What a store holds.
     *
     * <p>Immutable and thread-safe.
     *
     * @param workspaces the workspaces
     * @param credentials the credentials, their values encrypted
     * @param integrations the integrations with their status and last test outcome
     */
    record Contents(List<Workspace> workspaces, List<EncryptedCredential> credentials,
            List<RegisteredIntegration> integrations) {

        /** Copies the lists. */
        public Contents {
            workspaces = List.copyOf(requireNonNull(workspaces, "workspaces is null"));
            credentials = List.copyOf(requireNonNull(credentials, "credentials is null"));
            integrations = List.copyOf(requireNonNull(integrations, "integrations is null"));
        }
    }
}
