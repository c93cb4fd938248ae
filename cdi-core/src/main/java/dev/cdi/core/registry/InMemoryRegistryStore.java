package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RegistryStore} that keeps everything in this process's memory and loses it at exit: the store of an
 * {@link IntegrationRegistry} built without one.
 *
 * <p>Thread-safe: every method may be called from any thread at any time.
 */
public final class InMemoryRegistryStore implements RegistryStore {
    private final Map<String, Workspace> workspaces = new TreeMap<>();
    private final Map<String, EncryptedCredential> credentials = new TreeMap<>();
    private final Map<String, RegisteredIntegration> integrations = new TreeMap<>();

    /** An empty store. */
    public InMemoryRegistryStore() {
    }

    @Override
    public synchronized Contents loadRegistry() {
        return new Contents(new ArrayList<>(workspaces.values()), new ArrayList<>(credentials.values()),
                new ArrayList<>(integrations.values()));
    }

    @Override
    public synchronized void saveWorkspace(Workspace workspace) {
        requireNonNull(workspace, "workspace is null");
        workspaces.put(workspace.name(), workspace);
    }

    @Override
    public synchronized void saveCredential(EncryptedCredential credential) {
        requireNonNull(credential, "credential is null");
        credentials.put(credential.name(), credential);
    }

    @Override
    public synchronized void deleteCredential(String name) {
        credentials.remove(requireNonNull(name, "name is null"));
    }

    @Override
    public synchronized void saveIntegration(RegisteredIntegration integration) {
        requireNonNull(integration, "integration is null");
        integrations.put(integration.name(), integration);
    }

    @Override
    public synchronized void deleteIntegration(String name) {
        integrations.remove(requireNonNull(name, "name is null"));
    }
}
