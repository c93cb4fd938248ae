package dev.cdi.spring.boot;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.registry.Credential;
import dev.cdi.core.registry.EncryptedCredential;
import dev.cdi.core.registry.IntegrationDefinition;
import dev.cdi.core.registry.IntegrationRegistry;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.RegisteredIntegration;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.registry.Workspace;
import dev.cdi.core.schedule.Schedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the registry hold the integrations of the {@code cdi.*} properties: adds the workspace, each integration's
 * credential (named as the integration) and the integration, updates those that changed, and tests and activates
 * those not yet active. Integrations the registry holds but the properties do not name are left as they are, since
 * the application may have created them through the API. Thread-safe when the registry is; called once per start.
 */
final class ConfiguredIntegrations {
    private static final Logger log = LoggerFactory.getLogger(ConfiguredIntegrations.class);

    private final CdiProperties properties;
    private final SecretCipher cipher;

    ConfiguredIntegrations(CdiProperties properties, SecretCipher cipher) {
        this.properties = requireNonNull(properties, "properties is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
    }

    /** The names of the configured integrations. */
    Set<String> names() {
        return properties.getIntegrations().keySet();
    }

    /** Brings the registry in line with the properties; an integration whose connection test fails stays a draft. */
    void apply(IntegrationRegistry registry) {
        if (properties.getIntegrations().isEmpty()) {
            return;
        }
        if (registry.workspace(properties.getWorkspace()).isEmpty()) {
            registry.addWorkspace(new Workspace(properties.getWorkspace(), properties.getTimeZone()));
        }
        properties.getIntegrations().forEach((name, integration) -> apply(registry, name, integration));
    }

    private void apply(IntegrationRegistry registry, String name, CdiProperties.Integration integration) {
        String connector = required(name, "connector", integration.getConnector());
        Map<String, String> settings = new LinkedHashMap<>(integration.getSettings());
        Map<String, String> secrets = new LinkedHashMap<>(integration.getSecrets());
        if (secrets.isEmpty()) {
            // A credential holds at least one value; a connector without secrets (DuckDB) keeps its settings there.
            secrets.putAll(settings);
            settings.clear();
        }
        Credential credential = new Credential(name, properties.getWorkspace(), connector, secrets);
        Optional<EncryptedCredential> stored = registry.encryptedCredential(name);
        if (stored.isEmpty()) {
            registry.addCredential(credential);
        } else if (!stored.get().decrypt(cipher).equals(credential)) {
            registry.get(name).filter(current -> current.status() == IntegrationStatus.ACTIVE)
                    .ifPresent(current -> registry.pause(name));
            registry.deleteCredential(name);
            registry.addCredential(credential);
            log.info("[{}] Credential replaced from the cdi.* properties", name);
        }
        IntegrationDefinition definition = IntegrationDefinition.builder()
                .name(name)
                .workspace(properties.getWorkspace())
                .connector(connector)
                .credential(name)
                .connectionSettings(settings)
                .table(required(name, "table", integration.getTable()))
                .dataType(DataType.fromConfigName(required(name, "data-type", integration.getDataType())))
                .schedule(Schedule.parse(required(name, "schedule", integration.getSchedule())))
                .build();
        Optional<RegisteredIntegration> current = registry.get(name);
        if (current.isEmpty()) {
            registry.create(definition);
        } else if (!current.get().definition().equals(definition)) {
            registry.update(name, definition);
            log.info("[{}] Updated from the cdi.* properties", name);
        }
        RegisteredIntegration now = registry.get(name).orElseThrow();
        if (now.status() == IntegrationStatus.ACTIVE) {
            return;
        }
        ConnectionTestResult test = registry.test(name);
        if (test instanceof ConnectionTestResult.Failed failed) {
            log.warn("[{}] Not activated: its connection test failed with {}: {} {}", name, failed.error().code(),
                    failed.error().message(), failed.advice());
            return;
        }
        if (now.status() == IntegrationStatus.PAUSED) {
            registry.resume(name);
        } else {
            registry.activate(name);
        }
        log.info("[{}] Active, {} from {} ({})", name, definition.dataType().configName(), definition.table(),
                definition.schedule());
    }

    private static String required(String integration, String property, String value) {
        if (value == null || value.isBlank()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "[" + integration + "] cdi.integrations."
                    + integration + "." + property + " is not set");
        }
        return value;
    }
}
