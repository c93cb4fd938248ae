package dev.cdi.core.lease;

import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.core.state.TestingPostgres;
import java.time.Duration;

/**
 * Runs the shared lease suite on {@link PostgresStateStore}: two stores with separate data sources on one
 * database stand for two JVMs, and expiry really waits for the database's clock.
 */
public class TestPostgresLeaseStore extends BaseLeaseStoreTest {
    private final String schema = TestingPostgres.newSchema();
    private final PostgresStateStore store = new PostgresStateStore(TestingPostgres.newDataSource(), schema);
    private final PostgresStateStore otherStore = new PostgresStateStore(TestingPostgres.newDataSource(), schema);

    @Override
    protected LeaseStore store() {
        return store;
    }

    @Override
    protected LeaseStore otherStore() {
        return otherStore;
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofMillis(500);
    }

    @Override
    protected void letShortTtlPass() {
        try {
            Thread.sleep(600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lease to expire", e);
        }
    }
}
