package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.core.ConnectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    private static final ConnectorRegistry CONNECTORS = ConnectorRegistry.of(List.of(new SecretiveProvider()));

    @TempDir
    Path directory;

    @Test
    void defaultOptionsAreTheLibraryDefaults() throws IOException {
        ConfigFile config = load("stateDir: state\n"
                + "integrations:\n"
                + "  - name: users\n"
                + "    connector: secretive\n"
                + "    table: main.users_sync\n"
                + "    dataType: attributes\n"
                + "    sink:\n"
                + "      jsonl: out/users.jsonl\n");

        IntegrationConfig users = config.integrations().get(0);
        assertThat(users.spec().options()).isEqualTo(SyncOptions.defaults());
        assertThat(users.spec().connectorSettings().values()).isEmpty();
    }

    @Test
    void everyKeyMapsToTheSpec() throws IOException {
        ConfigFile config = load("stateDir: /var/lib/cdi\n"
                + "integrations:\n"
                + "  - name: users_2\n"
                + "    connector: secretive\n"
                + "    connection:\n"
                + "      path: data/w.db\n"
                + "      host: warehouse.example.com\n"
                + "      port: 5439\n"
                + "      password: hunter2\n"
                + "    table: analytics.crm.users_sync\n"
                + "    dataType: user_deletes\n"
                + "    options:\n"
                + "      settleLag: PT5M\n"
                + "      lookback: PT1H\n"
                + "      updateExistingOnly: true\n"
                + "      batchSize: 200\n"
                + "      rowLimit: 1000\n"
                + "    sink:\n"
                + "      jsonl: /tmp/deletes.jsonl\n");

        assertThat(config.stateDirectory()).isEqualTo(Path.of("/var/lib/cdi"));
        IntegrationConfig integration = config.integrations().get(0);
        assertThat(integration.sinkFile()).contains(Path.of("/tmp/deletes.jsonl"));
        SyncSpec spec = integration.spec();
        assertThat(spec.integration()).isEqualTo("users_2");
        assertThat(spec.connector()).isEqualTo("secretive");
        assertThat(spec.connectorSettings().values()).isEqualTo(Map.of(
                "path", directory.resolve("data/w.db").toString(),
                "host", "warehouse.example.com",
                "port", "5439",
                "password", "hunter2"));
        assertThat(spec.table()).isEqualTo(new TableName(Optional.of("analytics"), "crm", "users_sync"));
        assertThat(spec.dataType()).isEqualTo(DataType.USER_DELETES);
        assertThat(spec.options()).isEqualTo(SyncOptions.builder()
                .settleLag(Duration.ofMinutes(5))
                .lookback(Duration.ofHours(1))
                .updateExistingOnly(true)
                .batchSize(200)
                .rowLimit(1000)
                .build());
    }

    @Test
    void secretSettingsAreMasked() throws IOException {
        ConfigFile config = load("stateDir: state\n"
                + "integrations:\n"
                + "  - name: users\n"
                + "    connector: secretive\n"
                + "    connection:\n"
                + "      user: cdi\n"
                + "      password: hunter2\n"
                + "    table: main.users_sync\n"
                + "    dataType: attributes\n"
                + "    sink:\n"
                + "      jsonl: out/users.jsonl\n");

        String shown = config.integrations().get(0).toString();
        assertThat(shown).contains("user=cdi").contains("password=****").doesNotContain("hunter2");
    }

    @Test
    void relativePathsAreRelativeToTheFile() throws IOException {
        ConfigFile config = load("stateDir: ../state\n"
                + "integrations:\n"
                + "  - name: users\n"
                + "    connector: secretive\n"
                + "    connection:\n"
                + "      path: ./w.duckdb\n"
                + "      keyFile: keys/known_hosts\n"
                + "    table: main.users_sync\n"
                + "    dataType: attributes\n"
                + "    sink:\n"
                + "      jsonl: out/users.jsonl\n"
                + "  - name: memory\n"
                + "    connector: secretive\n"
                + "    connection:\n"
                + "      path: ':memory:'\n"
                + "    table: main.users_sync\n"
                + "    dataType: events\n"
                + "    sink:\n"
                + "      jsonl: out/memory.jsonl\n");

        assertThat(config.stateDirectory()).isEqualTo(directory.getParent().resolve("state"));
        assertThat(config.integrations().get(0).spec().connectorSettings().require("path"))
                .isEqualTo(directory.resolve("w.duckdb").toString());
        assertThat(config.integrations().get(0).sinkFile()).contains(directory.resolve("out/users.jsonl"));
        assertThat(config.integrations().get(1).spec().connectorSettings().require("path")).isEqualTo(":memory:");
        // Every setting the connector declares of type PATH is resolved and known as a file, not only 'path'.
        assertThat(config.integrations().get(0).spec().connectorSettings().require("keyFile"))
                .isEqualTo(directory.resolve("keys/known_hosts").toString());
        assertThat(config.integrations().get(0).connectionFiles()).isEqualTo(Map.of(
                "path", directory.resolve("w.duckdb"), "keyFile", directory.resolve("keys/known_hosts")));
        assertThat(config.integrations().get(1).connectionFiles()).isEmpty();
    }

    @Test
    void selectsByName() throws IOException {
        ConfigFile config = load("stateDir: state\n"
                + "integrations:\n"
                + "  - {name: a, connector: secretive, table: s.a, dataType: events, sink: {jsonl: a.jsonl}}\n"
                + "  - {name: b, connector: secretive, table: s.b, dataType: events, sink: {jsonl: b.jsonl}}\n");

        assertThat(config.select(Optional.empty())).extracting(IntegrationConfig::name).containsExactly("a", "b");
        assertThat(config.select(Optional.of("b"))).extracting(IntegrationConfig::name).containsExactly("b");
    }

    private ConfigFile load(String yaml) throws IOException {
        Path file = directory.resolve("cdi.yaml");
        Files.writeString(file, yaml);
        return ConfigFile.load(file, CONNECTORS);
    }

    /**
     * A connector that declares two file settings ({@code path}, {@code keyFile}) and a secret {@code password}; never
     * opened here.
     */
    private static final class SecretiveProvider implements SourceConnectorProvider {
        @Override
        public String name() {
            return "secretive";
        }

        @Override
        public List<SettingDefinition> settings() {
            return List.of(
                    SettingDefinition.of("path", SettingType.PATH, "a database file"),
                    SettingDefinition.of("keyFile", SettingType.PATH, "another file"),
                    SettingDefinition.of("host", SettingType.STRING, "a host"),
                    SettingDefinition.of("port", SettingType.INTEGER, "a port"),
                    SettingDefinition.of("user", SettingType.STRING, "a user"),
                    SettingDefinition.of("password", SettingType.STRING, "a password").asSecret());
        }

        @Override
        public SourceConnector open(ConnectorSettings settings) {
            throw new UnsupportedOperationException("not opened in these tests");
        }
    }
}
