package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code integrations}, {@code test}, {@code sync-now}, {@code runs} and {@code errors} on the demo warehouse. */
class IntegrationCommandsTest {
    @TempDir
    Path directory;

    private Path config;

    @BeforeEach
    void createWarehouseAndScheduledConfig() throws IOException {
        new DemoWarehouse(directory.resolve("warehouse.duckdb")).createMissingTables();
        config = directory.resolve("cdi.yaml");
        DemoConfig.writeIfAbsent(config);
        Files.writeString(config, Files.readString(config).replace("  - name: events\n",
                "  - name: events\n    schedule: every 15 minutes\n    timeZone: Europe/Paris\n"));
    }

    @Test
    void integrationsListsScheduleLastRunNextRunAndWatermark() {
        TestingCli.Result before = TestingCli.run("integrations", "--config", config.toString());
        TestingCli.run("sync", "--config", config.toString(), "--integration", "attributes");
        TestingCli.Result after = TestingCli.run("integrations", "--config", config.toString());

        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(lines(before.out())).containsExactly(
                "attributes: duckdb main.user_attributes (attributes); no schedule; last run never; next run \u2014; "
                        + "last UPDATED_AT synced none",
                lines(before.out()).get(1),
                "purchases: duckdb main.user_purchases (purchases); no schedule; last run never; next run \u2014; "
                        + "last UPDATED_AT synced none");
        assertThat(lines(before.out()).get(1)).matches("events: duckdb main.user_events \\(events\\); every 15 minutes "
                + "\\(Europe/Paris\\); last run never; next run \\d{4}-\\d\\d-\\d\\dT\\d\\d:(00|15|30|45):00Z; "
                + "last UPDATED_AT synced none");
        assertThat(lines(after.out()).get(0)).matches("attributes: .*; last run PARTIAL at \\S+Z; next run \u2014; "
                + "last UPDATED_AT synced 2025-06-02T09:48:20Z");
    }

    @Test
    void runsAfterSyncShowsTheRunAndErrorsListsItsRowErrors() {
        TestingCli.Result sync = TestingCli.run("sync", "--config", config.toString(), "--integration", "attributes");
        TestingCli.Result runs = TestingCli.run("runs", "--config", config.toString(), "attributes");

        assertThat(sync.exitCode()).isZero();
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        List<String> lines = lines(runs.out());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("RUN").contains("STATUS", "LAST UPDATED_AT", "ROWS SYNCED", "ROWS FAILED");
        String[] run = lines.get(1).split("\\s+");
        assertThat(run).containsExactly(run[0], "PARTIAL", run[2], run[3], "2025-06-02T09:48:20Z", "39", "6");

        TestingCli.Result errors = TestingCli.run("errors", "--config", config.toString(), run[0]);

        assertThat(errors.exitCode()).as(errors.err()).isZero();
        assertThat(lines(errors.out())).hasSize(7);
        assertThat(lines(errors.out()).get(0)).startsWith("INVALID_JSON: PAYLOAD is not valid JSON")
                .endsWith("[external_id u0031, UPDATED_AT 2025-06-02T09:40:00Z]");
        assertThat(lines(errors.out()).get(2)).startsWith("MISSING_IDENTIFIER: ").contains("[no identifier, ");
        assertThat(lines(errors.out()).get(6)).isEqualTo(run[0] + " (attributes, PARTIAL): 6 row errors listed");
    }

    @Test
    void syncOutputIsUnchangedByTheHistory() {
        TestingCli.Result first = TestingCli.run("sync", "--config", config.toString(), "--integration", "purchases");

        assertThat(lines(first.out()).get(0)).matches("purchases: PARTIAL in \\d+\\.\\d\\d s; rows read \\d+, synced \\d+, "
                + "failed \\d+, deferred 0; watermark \\S+");
        assertThat(directory.resolve("state").resolve("history").resolve("purchases")).isDirectoryContaining("glob:**.json");
    }

    @Test
    void errorsOfAnUnknownRunIsAUsageError() {
        TestingCli.Result result = TestingCli.run("errors", "--config", config.toString(), "no-such-run");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("cdi: no run with id 'no-such-run' in the run history");
    }

    @Test
    void runsOfAnIntegrationWithoutRunsSaysSo() {
        TestingCli.Result result = TestingCli.run("runs", "--config", config.toString(), "events");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("events: no runs recorded" + System.lineSeparator());
        assertThat(TestingCli.run("runs", "--config", config.toString(), "nope").exitCode()).isEqualTo(2);
    }

    @Test
    void testPassesWithAPreviewOfVerdicts() {
        TestingCli.Result result = TestingCli.run("test", "--config", config.toString(), "attributes", "--rows", "40");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = lines(result.out());
        assertThat(lines.get(0)).startsWith("attributes: PASSED; table main.user_attributes; columns ")
                .contains("UPDATED_AT TIMESTAMP", "EXTERNAL_ID VARCHAR", "PAYLOAD VARCHAR");
        assertThat(lines.get(1).split("\\s+")).containsExactly("", "UPDATED_AT", "IDENTIFIER", "VERDICT");
        assertThat(lines.get(2)).matches("  2025-06-01T08:47:00\\.007919Z +external_id u0001 +valid");
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  2025-06-02T09:40:00Z +external_id u0031 +INVALID_JSON: PAYLOAD is not valid JSON.*"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("  (40 rows previewed)");
    }

    @Test
    void testOnAMissingTableFailsWithCategoryAndAdvice() throws IOException {
        Path bad = directory.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(config).replace("main.user_events", "main.no_such_table"));

        TestingCli.Result result = TestingCli.run("test", "--config", bad.toString(), "events");

        assertThat(result.exitCode()).isEqualTo(1);
        List<String> lines = lines(result.out());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("events: FAILED (TABLE_NOT_FOUND) TABLE_NOT_FOUND: ").contains("no_such_table");
        assertThat(lines.get(1)).startsWith("  advice: Check that the source table or view exists");
    }

    @Test
    void syncNowRunsOnceAndRunsListsIt() {
        TestingCli.Result syncNow = TestingCli.run("sync-now", "--config", config.toString(), "events");
        TestingCli.Result again = TestingCli.run("sync-now", "--config", config.toString(), "events");
        TestingCli.Result runs = TestingCli.run("runs", "--config", config.toString(), "events", "--limit", "1");

        assertThat(syncNow.exitCode()).as(syncNow.err()).isZero();
        assertThat(syncNow.out()).startsWith("events: PARTIAL in ");
        assertThat(again.out()).startsWith("events: SUCCESS in ").contains("rows read 0");
        assertThat(lines(runs.out())).hasSize(2);
        assertThat(lines(runs.out()).get(1).split("\\s+")).contains("SUCCESS", "0");
        assertThat(TestingCli.run("sync-now", "--config", config.toString(), "nope").exitCode()).isEqualTo(2);
    }

    @Test
    void runPlansOnTheFirstTickAndRunsWhatIsDueOnTheNext() {
        TestingCli.Result result = TestingCli.run("run", "--config", config.toString(), "--ticks", "2",
                "--tick-interval", "PT15M");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(lines(result.out()).subList(0, 3)).containsExactly("attributes: not scheduled",
                "events: every 15 minutes (Europe/Paris)", "purchases: not scheduled");
        assertThat(lines(result.out()).get(3)).startsWith("events: PARTIAL in ");
        assertThat(lines(result.out()).subList(4, lines(result.out()).size())).allMatch(line -> line.startsWith("  "));
        assertThat(lines(TestingCli.run("runs", "--config", config.toString(), "events").out())).hasSize(2);
    }

    @Test
    void runOnlyPlansOnItsFirstTick() {
        TestingCli.Result result = TestingCli.run("run", "--config", config.toString(), "--ticks", "1");

        assertThat(result.exitCode()).isZero();
        assertThat(lines(result.out())).hasSize(3);
    }

    @Test
    void runStopsCleanlyWhenInterrupted() throws InterruptedException {
        AtomicReference<TestingCli.Result> result = new AtomicReference<>();
        Thread run = new Thread(() -> result.set(TestingCli.run("run", "--config", config.toString())));
        run.start();
        // Interrupted earlier, it would stop while opening its files: a different path from the one tested here.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!waitsToBeStopped(run)) {
            assertThat(run.isAlive()).as("'run' ended by itself: %s", result.get()).isTrue();
            assertThat(System.nanoTime() - deadline).as("'run' waits to be stopped within 30 s").isNegative();
            Thread.sleep(10);
        }
        run.interrupt();
        run.join(10_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(result.get().exitCode()).as(result.get().err()).isZero();
        assertThat(result.get().out()).contains("events: every 15 minutes (Europe/Paris)")
                .endsWith("stopped" + System.lineSeparator());
    }

    /** Whether the command has started its scheduler and waits, parked, until something stops it. */
    private static boolean waitsToBeStopped(Thread run) {
        return run.getState() == Thread.State.WAITING && Arrays.stream(run.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals(RunCommand.class.getName()) && frame.getMethodName().equals("runUntilStopped"));
    }

    @Test
    void runWithoutAnyScheduleIsAUsageError() throws IOException {
        Path unscheduled = directory.resolve("unscheduled.yaml");
        DemoConfig.writeIfAbsent(unscheduled);

        TestingCli.Result result = TestingCli.run("run", "--config", unscheduled.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("no integration has a schedule");
    }

    @Test
    void everyNewCommandHasHelp() {
        for (String command : List.of("integrations", "test", "sync-now", "run", "runs", "errors")) {
            TestingCli.Result result = TestingCli.run(command, "--help");

            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).contains("Usage: cdi " + command, "--config=FILE")
                    .doesNotContain("--ticks");
        }
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\\R"));
    }
}
