package dev.cdi.testkit;

import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.core.state.StateStore;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension giving each test method a fresh {@link FakeWarehouse}, a fresh {@link InMemoryStateStore}
 * and a {@link SyncEngine} on that store, as parameters; the warehouse is closed after the test.
 *
 * <pre>{@code
 * @ExtendWith(FakeWarehouseExtension.class)
 * class MySyncTest {
 *     @Test
 *     void syncsUsers(FakeWarehouse warehouse, SyncEngine engine) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe: state lives in each test's extension context.
 */
public final class FakeWarehouseExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeWarehouseExtension.class);

    /** Creates the extension (JUnit does). */
    public FakeWarehouseExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FakeWarehouse.class || type == InMemoryStateStore.class || type == StateStore.class
                || type == SyncEngine.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (type == FakeWarehouse.class) {
            // JUnit closes AutoCloseable values of the store when the test ends.
            return store.getOrComputeIfAbsent(FakeWarehouse.class, key -> FakeWarehouse.create(), FakeWarehouse.class);
        }
        InMemoryStateStore stateStore = store.getOrComputeIfAbsent(InMemoryStateStore.class, key -> new InMemoryStateStore(),
                InMemoryStateStore.class);
        if (type == SyncEngine.class) {
            return store.getOrComputeIfAbsent(SyncEngine.class, key -> SyncEngine.builder().stateStore(stateStore)
                    .registerConnector(new FakeWarehouseConnectorProvider()).build(), SyncEngine.class);
        }
        return stateStore;
    }
}
