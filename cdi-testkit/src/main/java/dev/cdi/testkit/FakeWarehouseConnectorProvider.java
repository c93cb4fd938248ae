package dev.cdi.testkit;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import java.util.Set;

/**
 * Finds an open {@link FakeWarehouse} by its id: connector {@value FakeWarehouse#CONNECTOR_NAME}, setting
 * {@code warehouse}. Registered through {@code META-INF/services}.
 *
 * <p>Thread-safe.
 */
public final class FakeWarehouseConnectorProvider implements SourceConnectorProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public FakeWarehouseConnectorProvider() {
    }

    @Override
    public String name() {
        return FakeWarehouse.CONNECTOR_NAME;
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.STRUCTURED_PAYLOAD, ConnectorCapability.JSON_PAYLOAD);
    }

    @Override
    public SourceConnector open(ConnectorSettings settings) {
        String id = settings.require("warehouse");
        return FakeWarehouse.find(id).orElseThrow(() -> new CdiException(ErrorCode.INVALID_CONFIGURATION,
                "No open fake warehouse has id '" + id + "'; was it closed?")).connector();
    }
}
