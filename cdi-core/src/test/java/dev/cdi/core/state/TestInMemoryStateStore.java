package dev.cdi.core.state;

/** Runs the shared state store suite on {@link InMemoryStateStore}. */
public class TestInMemoryStateStore extends BaseStateStoreTest {
    private final InMemoryStateStore store = new InMemoryStateStore();

    @Override
    protected StateStore store() {
        return store;
    }
}
