package dev.cdi.core.state;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StateStore} in a map: for tests and for applications that keep state elsewhere. Lost when the
 * process ends.
 *
 * <p>Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, SyncState> states = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryStateStore() {
    }

    @Override
    public Optional<SyncState> load(String integration) {
        return Optional.ofNullable(states.get(requireNonNull(integration, "integration is null")));
    }

    @Override
    public void save(String integration, SyncState state) {
        states.put(requireNonNull(integration, "integration is null"), requireNonNull(state, "state is null"));
    }

    @Override
    public void delete(String integration) {
        states.remove(requireNonNull(integration, "integration is null"));
    }
}
