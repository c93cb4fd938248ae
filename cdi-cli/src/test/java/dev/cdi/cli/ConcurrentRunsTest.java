package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An integration runs in one cdi process at a time: a second one exits at once, saying why, and touches nothing. */
class ConcurrentRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private Path config;
    private Path state;

    @BeforeEach
    void createWarehouseAndConfig() {
        new DemoWarehouse(directory.resolve("warehouse.duckdb")).createMissingTables();
        DemoConfig.writeIfAbsent(directory.resolve("cdi.yaml"));
        config = directory.resolve("cdi.yaml");
        state = directory.resolve("state");
    }

    @Test
    void aSyncWhileAnotherProcessHoldsTheIntegrationReadsNothingAndSaysWhy() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(), state.toString(),
                "attributes").redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");

            TestingCli.Result refused = TestingCli.run("sync", "--config", config.toString(), "--integration",
                    "attributes", "--json");

            assertThat(refused.exitCode()).isEqualTo(1);
            JsonNode run = JSON.readTree(refused.out());
            assertThat(run.get("status").asText()).isEqualTo("ERROR");
            assertThat(run.get("rowsRead").asLong()).isZero();
            assertThat(run.get("error").get("message").asText()).contains("Another cdi process is running this "
                    + "integration").contains(state.resolve("locks/attributes.lock").toString());
            assertThat(directory.resolve("out/attributes.jsonl")).doesNotExist();
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        TestingCli.Result afterTheHolderDied = TestingCli.run("sync", "--config", config.toString(), "--integration",
                "attributes", "--json");

        assertThat(afterTheHolderDied.exitCode()).as(afterTheHolderDied.err()).isZero();
        assertThat(JSON.readTree(afterTheHolderDied.out()).get("rowsSynced").asLong()).isPositive();
    }

    @Test
    void aRunInThisProcessHoldsTheLockAgainstASecondOne() {
        IntegrationLocks locks = new IntegrationLocks(state);
        IntegrationLocks.Held held = locks.tryLock("events").orElseThrow();
        try {
            assertThat(locks.tryLock("events")).isEmpty();
            assertThat(locks.tryLock("purchases")).isPresent().get().satisfies(IntegrationLocks.Held::close);

            TestingCli.Result refused = TestingCli.run("sync", "--config", config.toString(), "--integration", "events");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).contains("Another cdi process is running this integration");
        } finally {
            held.close();
        }
        assertThat(locks.tryLock("events")).isPresent().get().satisfies(IntegrationLocks.Held::close);
        assertThat(Files.exists(state.resolve("locks/events.lock"))).isTrue();
    }
}
