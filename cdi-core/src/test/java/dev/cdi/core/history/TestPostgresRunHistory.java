package dev.cdi.core.history;

import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.core.state.TestingPostgres;

/** Runs the shared run history suite on {@link PostgresStateStore}. */
public class TestPostgresRunHistory extends BaseRunHistoryTest {
    private final PostgresStateStore history = new PostgresStateStore(TestingPostgres.newDataSource(),
            TestingPostgres.newSchema());

    @Override
    protected RunHistory history() {
        return history;
    }
}
