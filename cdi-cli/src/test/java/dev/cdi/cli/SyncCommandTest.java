package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUN_KEYS = Set.of("integration", "status", "rowsRead", "rowsSynced", "rowsFailed",
            "rowsDeferred", "watermark", "rowErrors");
    private static final Set<String> ROW_ERROR_KEYS = Set.of("code", "message", "updatedAt", "identifier");

    @TempDir
    Path directory;

    private Path config;

    @BeforeEach
    void createWarehouseAndConfig() {
        new DemoWarehouse(directory.resolve("warehouse.duckdb")).createMissingTables();
        DemoConfig.writeIfAbsent(directory.resolve("cdi.yaml"));
        config = directory.resolve("cdi.yaml");
    }

    @Test
    void jsonPrintsOneObjectPerRunWithExactlyTheContractKeys() throws IOException {
        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> runs = jsonLines(result.out());
        assertThat(runs).extracting(run -> run.get("integration").asText())
                .containsExactly("attributes", "events", "purchases");
        for (JsonNode run : runs) {
            assertThat(fieldNames(run)).isEqualTo(RUN_KEYS);
            assertThat(run.get("status").asText()).isEqualTo("PARTIAL");
            assertThat(run.get("rowsRead").asLong())
                    .isEqualTo(run.get("rowsSynced").asLong() + run.get("rowsFailed").asLong());
            assertThat(run.get("rowsDeferred").asLong()).isZero();
            for (JsonNode rowError : run.get("rowErrors")) {
                assertThat(fieldNames(rowError)).isEqualTo(ROW_ERROR_KEYS);
            }
        }
        JsonNode attributes = runs.get(0);
        assertThat(attributes.get("rowsRead").asLong()).isEqualTo(DemoData.attributes().size());
        assertThat(attributes.get("rowsFailed").asLong()).isEqualTo(6);
        assertThat(Instant.parse(attributes.get("watermark").asText())).isEqualTo("2025-06-02T09:48:20Z");
        assertThat(attributes.get("rowErrors")).hasSize(6);
        JsonNode invalidJson = attributes.get("rowErrors").get(0);
        assertThat(invalidJson.get("code").asText()).isEqualTo("INVALID_JSON");
        assertThat(invalidJson.get("updatedAt").asText()).isEqualTo("2025-06-02T09:40:00Z");
        assertThat(invalidJson.get("identifier").toString()).isEqualTo("{\"type\":\"external_id\",\"value\":\"u0031\"}");
        assertThat(attributes.get("rowErrors").get(2).get("identifier").isNull()).isTrue();
    }

    @Test
    void watermarkKeepsTheSourcePrecision() throws IOException {
        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--json",
                "--integration", "events");

        // The last event is 35 * 23 minutes and 35 * 311 microseconds after the first.
        assertThat(jsonLines(result.out()).get(0).get("watermark").asText()).isEqualTo("2025-06-03T21:25:00.010885Z");
    }

    @Test
    void integrationSelectsOne() throws IOException {
        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--json",
                "--integration", "events");

        assertThat(result.exitCode()).isZero();
        assertThat(jsonLines(result.out())).extracting(run -> run.get("integration").asText()).containsExactly("events");
        assertThat(directory.resolve("out/events.jsonl")).isRegularFile();
        assertThat(directory.resolve("out/attributes.jsonl")).doesNotExist();
    }

    @Test
    void unknownIntegrationListsTheKnownOnes() {
        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--integration", "users");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).isEqualTo("cdi: " + config + ": no integration named 'users'; known: "
                + "attributes, events, purchases");
    }

    @Test
    void humanSummaryByDefault() {
        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("(?m)^attributes: PARTIAL in \\d+\\.\\d\\d s; rows read "
                + DemoData.attributes().size() + ", synced " + (DemoData.attributes().size() - 6)
                + ", failed 6, deferred 0; watermark 2025-06-02T09:48:20Z$");
        assertThat(result.out()).containsPattern("(?m)^  row error INVALID_EMAIL: .* \\[email maria.garcia@, UPDATED_AT "
                + "2025-06-02T09:41:40Z\\]$");
    }

    @Test
    void sinkLinesHaveTheContractFormat() throws IOException {
        TestingCli.run("sync", "--config", config.toString(), "--integration", "attributes");

        List<String> lines = Files.readAllLines(directory.resolve("out/attributes.jsonl"));
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(fieldNames(first)).isEqualTo(Set.of("dataType", "identifier", "updateExistingOnly", "updatedAt",
                "payload"));
        assertThat(first.get("dataType").asText()).isEqualTo("attributes");
        assertThat(first.get("identifier").toString()).isEqualTo("{\"type\":\"external_id\",\"value\":\"u0001\"}");
        assertThat(first.get("updateExistingOnly").asBoolean()).isFalse();
        assertThat(first.get("updatedAt").asText()).isEqualTo("2025-06-01T08:47:00.007919Z");
        assertThat(first.get("payload").isObject()).isTrue();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(
                "\"identifier\":{\"type\":\"email\",\"value\":\"Omar.Haddad@example.org\"}"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(
                "\"identifier\":{\"type\":\"phone\",\"value\":\"+14155550199\"}"));
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws IOException {
        Path nested = Files.createDirectories(directory.resolve("configs/nested"));
        Path file = nested.resolve("sync.yaml");
        Files.writeString(file, "stateDir: my-state\n"
                + "integrations:\n"
                + "  - name: events\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: ../../warehouse.duckdb\n"
                + "    table: main.user_events\n"
                + "    dataType: events\n"
                + "    sink:\n"
                + "      jsonl: sink/events.jsonl\n");

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(nested.resolve("my-state/events.state.json")).isRegularFile();
        assertThat(Files.readAllLines(nested.resolve("sink/events.jsonl"))).hasSize(DemoData.events().size() - 1);
    }

    @Test
    void jsonConfigurationFilesWork() throws IOException {
        Path file = directory.resolve("cdi.json");
        Files.writeString(file, "{\"stateDir\": \"state\", \"integrations\": [{\"name\": \"purchases\", "
                + "\"connector\": \"duckdb\", \"connection\": {\"path\": \"warehouse.duckdb\"}, "
                + "\"table\": \"main.user_purchases\", \"dataType\": \"purchases\", "
                + "\"options\": {\"batchSize\": 7, \"lookback\": \"PT1H\"}, \"sink\": {\"jsonl\": \"out/p.jsonl\"}}]}");

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(jsonLines(result.out()).get(0).get("rowsSynced").asLong()).isEqualTo(DemoData.purchases().size() - 1);
    }

    @Test
    void aFailedRunExitsWithOneAndCarriesItsError() throws IOException {
        Path file = directory.resolve("missing-table.yaml");
        Files.writeString(file, Files.readString(config).replace("main.user_events", "main.no_such_table"));

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        List<JsonNode> runs = jsonLines(result.out());
        assertThat(runs).extracting(run -> run.get("status").asText()).containsExactly("PARTIAL", "ERROR", "PARTIAL");
        JsonNode failed = runs.get(1);
        assertThat(fieldNames(failed)).containsExactlyInAnyOrderElementsOf(union(RUN_KEYS, "error"));
        assertThat(fieldNames(failed.get("error"))).isEqualTo(Set.of("category", "message"));
        assertThat(failed.get("error").get("category").asText()).isEqualTo("TABLE_NOT_FOUND");
        assertThat(failed.get("watermark").isNull()).isTrue();
        assertThat(failed.get("rowErrors")).isEmpty();
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\\R")) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            nodes.add(node);
        }
        return nodes;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private static Set<String> union(Set<String> names, String extra) {
        Set<String> all = new HashSet<>(names);
        all.add(extra);
        return all;
    }
}
