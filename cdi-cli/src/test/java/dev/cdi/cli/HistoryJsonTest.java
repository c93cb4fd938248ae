package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi runs --json} and {@code cdi errors --json} print JSON lines: one object per run or row error. */
class HistoryJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void runsPrintsOneObjectPerRunNewestFirst() {
        TestingCli.run("demo", "--dir", directory.toString());
        TestingCli.run("demo", "--dir", directory.toString());
        String config = directory.resolve("cdi.yaml").toString();

        TestingCli.Result result = TestingCli.run("runs", "--config", config, "attributes", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> runs = lines(result.out());
        assertThat(runs).hasSize(2);
        JsonNode newest = runs.get(0);
        assertThat(newest.get("integration").asText()).isEqualTo("attributes");
        assertThat(newest.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(newest.get("rowsRead").asLong()).isZero();
        assertThat(newest.get("runId").asText()).isNotBlank();
        assertThat(newest.get("finishedAt").asText()).endsWith("Z");
        assertThat(newest.has("error")).isFalse();
        JsonNode first = runs.get(1);
        assertThat(first.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(first.get("rowsRead").asLong()).isEqualTo(DemoData.attributes().size());
        assertThat(first.get("rowsFailed").asLong()).isEqualTo(6);
        assertThat(first.get("watermark").asText()).isEqualTo("2025-06-02T09:48:20Z");
        assertThat(first.get("firstUpdatedAt").isTextual()).isTrue();
    }

    @Test
    void runsPrintsNothingWhenThereAreNoRunsAndAtMostTheLimit() {
        new DemoWarehouse(directory.resolve(DemoConfig.WAREHOUSE_FILE)).createMissingTables();
        String config = directory.resolve(DemoConfig.CONFIG_FILE).toString();
        DemoConfig.writeIfAbsent(Path.of(config));

        TestingCli.Result none = TestingCli.run("runs", "--config", config, "attributes", "--json");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(none.out()).isEmpty();

        TestingCli.run("sync", "--config", config);
        TestingCli.run("sync", "--config", config);
        TestingCli.Result limited = TestingCli.run("runs", "--config", config, "attributes", "--json", "--limit", "1");
        assertThat(lines(limited.out())).hasSize(1);
    }

    @Test
    void errorsPrintsOneObjectPerRowErrorInOrder() {
        TestingCli.run("demo", "--dir", directory.toString());
        String config = directory.resolve("cdi.yaml").toString();
        String runId = lines(TestingCli.run("runs", "--config", config, "attributes", "--json").out()).get(0)
                .get("runId").asText();

        TestingCli.Result result = TestingCli.run("errors", "--config", config, runId, "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> errors = lines(result.out());
        assertThat(errors).hasSize(6);
        for (int i = 0; i < errors.size(); i++) {
            assertThat(errors.get(i).get("runId").asText()).isEqualTo(runId);
            assertThat(errors.get(i).get("position").asInt()).isEqualTo(i);
            assertThat(errors.get(i).get("code").asText()).isNotBlank();
            assertThat(errors.get(i).get("message").asText()).isNotBlank();
            assertThat(errors.get(i).has("identifier")).isTrue();
            assertThat(errors.get(i).has("updatedAt")).isTrue();
        }
        assertThat(errors).anySatisfy(error -> {
            assertThat(error.get("code").asText()).isEqualTo("INVALID_JSON");
            assertThat(error.get("identifier").toString()).contains("u0031");
            assertThat(error.get("updatedAt").asText()).isEqualTo("2025-06-02T09:40:00Z");
        });
        TestingCli.Result text = TestingCli.run("errors", "--config", config, runId);
        assertThat(text.out()).contains("6 row errors listed");
    }

    private static List<JsonNode> lines(String out) {
        return out.lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(line, e);
            }
        }).toList();
    }
}
