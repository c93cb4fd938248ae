package dev.cdi.core.state;

import java.util.Optional;

/**
 * Keeps each integration's {@link SyncState} between runs.
 *
 * <p>Implementations must be thread-safe; one integration's state is written by one run at a time. A
 * {@link #save} that returns has made the state durable as far as the implementation promises (the file store:
 * on disk, surviving a crash); a save interrupted at any instant leaves the previous state or the new one, never
 * a mix. Failures throw {@link dev.cdi.api.CdiException} with {@link dev.cdi.api.ErrorCode#STATE_STORE_FAILED}.
 */
public interface StateStore {

    /**
     * Loads an integration's state.
     *
     * @param integration the integration's name
     * @return the state, or empty when it has never been checkpointed (or was reset to the beginning)
     */
    Optional<SyncState> load(String integration);

    /**
     * Replaces an integration's state.
     *
     * @param integration the integration's name
     * @param state the new state
     */
    void save(String integration, SyncState state);

    /**
     * Forgets an integration's state, so its next run reads the table from the beginning.
     *
     * @param integration the integration's name
     */
    void delete(String integration);
}
