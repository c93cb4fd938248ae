package dev.cdi.testkit;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingsSchema;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import java.util.List;
import java.util.Set;

/**
 * Finds an open {@link FakeWarehouse} by its id: connector {@value FakeWarehouse#CONNECTOR_NAME}, setting
 * {@code warehouse}. Registered through {@code META-INF/services}.
 *
 * <p>Thread-safe.
 */
public final class FakeWarehouseConnectorProvider implements SourceConnectorProvider {
    private static final String WAREHOUSE = "warehouse";
    private static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(WAREHOUSE, SettingType.STRING,
                    "the id of an open FakeWarehouse, as FakeWarehouse.id() returns it").asRequired(),
            SettingDefinition.of("token", SettingType.STRING,
                    "a secret that is accepted and ignored, so that tests can give the fake warehouse a credential")
                    .asSecret());

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
    public String description() {
        return "reads the in-memory fake warehouse of a test (cdi-testkit)";
    }

    /**
     * The settings: {@code warehouse}, the id of an open {@link FakeWarehouse}, and {@code token}, a secret that is
     * ignored.
     *
     * @return the declared settings
     */
    @Override
    public List<SettingDefinition> settings() {
        return SETTINGS;
    }

    @Override
    public SourceConnector open(ConnectorSettings settings) {
        String id = new SettingsSchema(name(), SETTINGS).parse(settings).get(WAREHOUSE).orElseThrow();
        return FakeWarehouse.find(id).orElseThrow(() -> new CdiException(ErrorCode.INVALID_CONFIGURATION,
                "No open fake warehouse has id '" + id + "'; was it closed?")).connector();
    }
}
