package dev.cdi.core.state;

import static dev.cdi.core.state.PostgresDatabase.requireNotBlank;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.TableName;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.registry.EncryptedCredential;
import dev.cdi.core.registry.IntegrationDefinition;
import dev.cdi.core.registry.IntegrationStatus;
import dev.cdi.core.registry.RegisteredIntegration;
import dev.cdi.core.registry.RegisteredIntegration.TestOutcome;
import dev.cdi.core.registry.RegistryChange;
import dev.cdi.core.registry.RegistryStore;
import dev.cdi.core.registry.Workspace;
import dev.cdi.core.schedule.Schedule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code workspace}, {@code credential} and {@code integration} tables of {@link PostgresStateStore}. Credential
 * values arrive and are stored encrypted; an integration's definition is JSON text.
 */
final class PostgresRegistry {

    private final PostgresDatabase database;
    private final ObjectMapper mapper = new ObjectMapper();

    PostgresRegistry(PostgresDatabase database) {
        this.database = database;
    }

    long revision() {
        return database.inTransaction("Reading the registry's revision", this::revision);
    }

    RegistryStore.Snapshot load() {
        return database.inTransaction("Loading the integrations registry", connection -> {
            // One snapshot for the revision and all three tables, so they agree with each other.
            try (Statement isolation = connection.createStatement()) {
                isolation.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            return new RegistryStore.Snapshot(revision(connection), workspaces(connection), credentials(connection),
                    integrations(connection));
        });
    }

    boolean commit(long expectedRevision, List<RegistryChange> changes) {
        requireNonNull(changes, "changes is null");
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("changes is empty");
        }
        return database.inTransaction("Writing the integrations registry", connection -> {
            // The row lock taken here orders concurrent commits; a loser sees the new revision and changes nothing.
            try (PreparedStatement advance = connection.prepareStatement(database.sql("UPDATE {s}.registry_revision "
                    + "SET revision = revision + 1 WHERE id = 1 AND revision = ?"))) {
                advance.setLong(1, expectedRevision);
                if (advance.executeUpdate() == 0) {
                    return false;
                }
            }
            for (RegistryChange change : changes) {
                apply(connection, change);
            }
            return true;
        });
    }

    private void apply(Connection connection, RegistryChange change) throws SQLException {
        if (change instanceof RegistryChange.SaveWorkspace save) {
            saveWorkspace(connection, save.workspace());
        } else if (change instanceof RegistryChange.SaveCredential save) {
            saveCredential(connection, save.credential());
        } else if (change instanceof RegistryChange.DeleteCredential delete) {
            delete(connection, "DELETE FROM {s}.credential WHERE name = ?", delete.name());
        } else if (change instanceof RegistryChange.SaveIntegration save) {
            saveIntegration(connection, save.integration());
        } else if (change instanceof RegistryChange.DeleteIntegration delete) {
            delete(connection, "DELETE FROM {s}.integration WHERE name = ?", delete.name());
        } else {
            throw new IllegalArgumentException("Unknown registry change: " + change);
        }
    }

    private long revision(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
                ResultSet row = select.executeQuery(database.sql("SELECT revision FROM {s}.registry_revision"))) {
            if (!row.next()) {
                throw database.corrupt("The registry's revision", new IllegalStateException("its row is missing"));
            }
            return row.getLong(1);
        }
    }

    private void saveWorkspace(Connection connection, Workspace workspace) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(database.sql("INSERT INTO {s}.workspace "
                + "(name, zone) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET zone = EXCLUDED.zone"))) {
            upsert.setString(1, workspace.name());
            upsert.setString(2, workspace.zone().getId());
            upsert.executeUpdate();
        }
    }

    private void saveCredential(Connection connection, EncryptedCredential credential) throws SQLException {
        ObjectNode values = mapper.createObjectNode();
        credential.encryptedValues().forEach(values::put);
        try (PreparedStatement upsert = connection.prepareStatement(database.sql("INSERT INTO {s}.credential "
                + "(name, workspace, connector, encrypted_values) VALUES (?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (name) DO UPDATE SET workspace = EXCLUDED.workspace, "
                + "connector = EXCLUDED.connector, encrypted_values = EXCLUDED.encrypted_values, "
                + "saved_at = now()"))) {
            upsert.setString(1, credential.name());
            upsert.setString(2, credential.workspace());
            upsert.setString(3, credential.connector());
            upsert.setString(4, write(values));
            upsert.executeUpdate();
        }
    }

    private void saveIntegration(Connection connection, RegisteredIntegration integration) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(database.sql("INSERT INTO {s}.integration "
                + "(name, workspace, status, last_test, definition, version) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET workspace = EXCLUDED.workspace, status = EXCLUDED.status, "
                + "last_test = EXCLUDED.last_test, definition = EXCLUDED.definition, version = EXCLUDED.version, "
                + "saved_at = now()"))) {
            upsert.setString(1, integration.name());
            upsert.setString(2, integration.definition().workspace());
            upsert.setString(3, integration.status().name());
            upsert.setString(4, integration.lastTest().name());
            upsert.setString(5, write(toJson(integration.definition())));
            upsert.setLong(6, integration.version());
            upsert.executeUpdate();
        }
    }

    private void delete(Connection connection, String template, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(database.sql(template))) {
            delete.setString(1, name);
            delete.executeUpdate();
        }
    }

    private List<Workspace> workspaces(Connection connection) throws SQLException {
        List<Workspace> workspaces = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                database.sql("SELECT name, zone FROM {s}.workspace ORDER BY name"));
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String name = row.getString(1);
                try {
                    workspaces.add(new Workspace(name, ZoneId.of(row.getString(2))));
                } catch (DateTimeException | CdiException e) {
                    throw database.corrupt("Workspace '" + name + "'", e);
                }
            }
        }
        return workspaces;
    }

    private List<EncryptedCredential> credentials(Connection connection) throws SQLException {
        List<EncryptedCredential> credentials = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(database.sql(
                "SELECT name, workspace, connector, encrypted_values::text FROM {s}.credential ORDER BY name"));
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String name = row.getString(1);
                try {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (Map.Entry<String, JsonNode> field : read(row.getString(4)).properties()) {
                        if (!field.getValue().isTextual()) {
                            throw new IllegalArgumentException("value of '" + field.getKey() + "' is not text");
                        }
                        values.put(field.getKey(), field.getValue().textValue());
                    }
                    credentials.add(new EncryptedCredential(name, row.getString(2), row.getString(3), values));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw database.corrupt("Credential '" + name + "'", e);
                }
            }
        }
        return credentials;
    }

    private List<RegisteredIntegration> integrations(Connection connection) throws SQLException {
        List<RegisteredIntegration> integrations = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(database.sql(
                "SELECT name, status, last_test, definition, version FROM {s}.integration ORDER BY name"));
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String name = row.getString(1);
                try {
                    IntegrationDefinition definition = fromJson(read(row.getString(4)));
                    if (!definition.name().equals(name)) {
                        throw new IllegalArgumentException("its definition is named '" + definition.name() + "'");
                    }
                    integrations.add(new RegisteredIntegration(definition, IntegrationStatus.valueOf(row.getString(2)),
                            TestOutcome.valueOf(row.getString(3)), row.getLong(5)));
                } catch (IllegalArgumentException | NullPointerException | DateTimeException | CdiException e) {
                    throw database.corrupt("[" + name + "] The stored integration", e);
                }
            }
        }
        return integrations;
    }

    private ObjectNode toJson(IntegrationDefinition definition) {
        ObjectNode json = mapper.createObjectNode();
        json.put("name", definition.name());
        json.put("workspace", definition.workspace());
        json.put("connector", definition.connector());
        json.put("credential", definition.credential());
        ObjectNode settings = json.putObject("connectionSettings");
        definition.connectionSettings().forEach(settings::put);
        ObjectNode table = json.putObject("table");
        definition.table().database().ifPresent(database -> table.put("database", database));
        table.put("schema", definition.table().schema());
        table.put("table", definition.table().table());
        json.put("dataType", definition.dataType().configName());
        json.put("schedule", definition.schedule().toString());
        definition.notifications().ifPresent(preferences -> {
            ObjectNode notifications = json.putObject("notifications");
            ArrayNode emails = notifications.putArray("contactEmails");
            preferences.contactEmails().forEach(emails::add);
            notifications.put("notifyRowErrors", preferences.notifyRowErrors());
            notifications.put("rowErrorThresholdPercent", preferences.rowErrorThresholdPercent());
            notifications.put("notifyOnSuccess", preferences.notifyOnSuccess());
            notifications.put("notifyOnSuccessWithZeroRows", preferences.notifyOnSuccessWithZeroRows());
        });
        SyncOptions options = definition.options();
        ObjectNode optionsJson = json.putObject("options");
        optionsJson.put("settleLag", options.settleLag().toString());
        optionsJson.put("lookback", options.lookback().toString());
        optionsJson.put("updateExistingOnly", options.updateExistingOnly());
        optionsJson.put("batchSize", options.batchSize());
        optionsJson.put("rowLimit", options.rowLimit());
        optionsJson.put("checkpointEvery", options.checkpointEvery());
        optionsJson.put("fingerprintLimit", options.fingerprintLimit());
        optionsJson.put("sinkAttempts", options.sinkAttempts());
        optionsJson.put("sinkRetryBackoff", options.sinkRetryBackoff().toString());
        optionsJson.put("rowErrorsKept", options.rowErrorsKept());
        return json;
    }

    private static IntegrationDefinition fromJson(JsonNode json) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : required(json, "connectionSettings").properties()) {
            settings.put(field.getKey(), field.getValue().textValue());
        }
        JsonNode table = required(json, "table");
        JsonNode tableDatabase = table.get("database");
        Optional<NotificationPreferences> notifications = Optional.empty();
        JsonNode preferences = json.get("notifications");
        if (preferences != null && !preferences.isNull()) {
            List<String> emails = new ArrayList<>();
            required(preferences, "contactEmails").forEach(email -> emails.add(email.textValue()));
            notifications = Optional.of(new NotificationPreferences(emails,
                    required(preferences, "notifyRowErrors").booleanValue(),
                    required(preferences, "rowErrorThresholdPercent").intValue(),
                    required(preferences, "notifyOnSuccess").booleanValue(),
                    required(preferences, "notifyOnSuccessWithZeroRows").booleanValue()));
        }
        JsonNode options = required(json, "options");
        return IntegrationDefinition.builder()
                .name(text(json, "name"))
                .workspace(text(json, "workspace"))
                .connector(text(json, "connector"))
                .credential(text(json, "credential"))
                .connectionSettings(settings)
                .table(new TableName(
                        tableDatabase == null || tableDatabase.isNull() ? Optional.empty()
                                : Optional.of(tableDatabase.textValue()),
                        text(table, "schema"), text(table, "table")))
                .dataType(DataType.fromConfigName(text(json, "dataType")))
                .schedule(Schedule.parse(text(json, "schedule")))
                .notifications(notifications)
                .options(SyncOptions.builder()
                        .settleLag(Duration.parse(text(options, "settleLag")))
                        .lookback(Duration.parse(text(options, "lookback")))
                        .updateExistingOnly(required(options, "updateExistingOnly").booleanValue())
                        .batchSize(required(options, "batchSize").intValue())
                        .rowLimit(required(options, "rowLimit").longValue())
                        .checkpointEvery(required(options, "checkpointEvery").intValue())
                        .fingerprintLimit(required(options, "fingerprintLimit").intValue())
                        .sinkAttempts(required(options, "sinkAttempts").intValue())
                        .sinkRetryBackoff(Duration.parse(text(options, "sinkRetryBackoff")))
                        .rowErrorsKept(required(options, "rowErrorsKept").intValue())
                        .build())
                .build();
    }

    private static JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = required(json, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is not text");
        }
        return value.textValue();
    }

    private String write(JsonNode json) {
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree did not serialise", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the text, which for a credential is ciphertext: not passed on.
            throw new IllegalArgumentException("the stored JSON text is malformed");
        }
    }
}
