package dev.cdi.core.history;

/** Runs the shared run history suite on {@link InMemoryRunHistory}. */
public class TestInMemoryRunHistory extends BaseRunHistoryTest {
    private final InMemoryRunHistory history = new InMemoryRunHistory();

    @Override
    protected RunHistory history() {
        return history;
    }
}
