package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

/**
 * One write that an {@link IntegrationRegistry} asks its {@link RegistryStore} to make, as part of a
 * {@link RegistryStore#commitRegistry} that applies several atomically.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface RegistryChange {

    /**
     * Stores a workspace, replacing one of the same name.
     *
     * @param workspace the workspace
     */
    record SaveWorkspace(Workspace workspace) implements RegistryChange {
        /** Validates. */
        public SaveWorkspace {
            requireNonNull(workspace, "workspace is null");
        }
    }

    /**
     * Stores a credential, replacing one of the same name.
     *
     * @param credential the credential, its values encrypted
     */
    record SaveCredential(EncryptedCredential credential) implements RegistryChange {
        /** Validates. */
        public SaveCredential {
            requireNonNull(credential, "credential is null");
        }
    }

    /**
     * Forgets a credential; nothing happens when there is none of that name.
     *
     * @param name the credential's name
     */
    record DeleteCredential(String name) implements RegistryChange {
        /** Validates. */
        public DeleteCredential {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * Stores an integration with its status, last test outcome and version, replacing one of the same name.
     *
     * @param integration the integration
     */
    record SaveIntegration(RegisteredIntegration integration) implements RegistryChange {
        /** Validates. */
        public SaveIntegration {
            requireNonNull(integration, "integration is null");
        }
    }

    /**
     * Forgets an integration; nothing happens when there is none of that name.
     *
     * @param name the integration's name
     */
    record DeleteIntegration(String name) implements RegistryChange {
        /** Validates. */
        public DeleteIntegration {
            requireNonNull(name, "name is null");
        }
    }
}
