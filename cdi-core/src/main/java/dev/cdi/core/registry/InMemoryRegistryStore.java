package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RegistryStore} that keeps everything in this process's memory and loses it at exit: the store of an
 * {@link IntegrationRegistry} built without one. Several registries may share it, as they would a database.
 *
 * <p>Thread-safe: every method may be called from any thread at any time.
 */
public final class InMemoryRegistryStore implements RegistryStore {
    private final Map<String, Workspace> workspaces = new TreeMap<>();
    private final Map<String, EncryptedCredential> credentials = new TreeMap<>();
    private final Map<String, RegisteredIntegration> integrations = new TreeMap<>();
    private long revision;

    /** An empty store. */
    public InMemoryRegistryStore() {
    }

    @Override
    public synchronized long registryRevision() {
        return revision;
    }

    @Override
    public synchronized Snapshot loadRegistry() {
        return new Snapshot(revision, new ArrayList<>(workspaces.values()), new ArrayList<>(credentials.values()),
                new ArrayList<>(integrations.values()));
    }

    @Override
    public synchronized boolean commitRegistry(long expectedRevision, List<RegistryChange> changes) {
        requireNonNull(changes, "changes is null");
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("changes is empty");
        }
        if (expectedRevision != revision) {
            return false;
        }
        for (RegistryChange change : changes) {
            if (change instanceof RegistryChange.SaveWorkspace save) {
                workspaces.put(save.workspace().name(), save.workspace());
            } else if (change instanceof RegistryChange.SaveCredential save) {
                credentials.put(save.credential().name(), save.credential());
            } else if (change instanceof RegistryChange.DeleteCredential delete) {
                credentials.remove(delete.name());
            } else if (change instanceof RegistryChange.SaveIntegration save) {
                integrations.put(save.integration().name(), save.integration());
            } else if (change instanceof RegistryChange.DeleteIntegration delete) {
                integrations.remove(delete.name());
            } else {
                throw new IllegalArgumentException("Unknown registry change: " + change);
            }
        }
        revision++;
        return true;
    }
}
