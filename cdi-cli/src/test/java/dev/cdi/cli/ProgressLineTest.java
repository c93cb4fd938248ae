package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** The live progress line: drawn in place, at most four times a second, off with --json or --no-progress. */
class ProgressLineTest {

    @TempDir
    Path directory;

    @Test
    void drawsRowsOfTheCountRateAndTimeLeftInPlaceAtMostFourTimesASecond() {
        StringWriter text = new StringWriter();
        AtomicLong nanos = new AtomicLong(1_000);
        ProgressLine line = new ProgressLine("users", new PrintWriter(text), nanos::get);

        line.counted(10_000);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        line.read(256);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(900));
        line.read(2_000);
        line.read(2_256);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        line.finish(4_000);

        assertThat(text.toString()).isEqualTo("\rusers: 0 of 10,000 rows (0%)"
                + "\rusers: 2,000 of 10,000 rows (20%), 2,000 rows/s, 4 s left"
                + "\rusers: 4,000 of 10,000 rows (40%), 2,000 rows/s, 3 s left"
                + "\r" + " ".repeat(57) + "\r");
    }

    @Test
    void aRunThatReadsMoreThanItCountedShowsWhatItRead() {
        StringWriter text = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        ProgressLine line = new ProgressLine("users", new PrintWriter(text), nanos::get);
        line.counted(5);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        line.finish(7);
        assertThat(text.toString()).contains("\rusers: 7 of 7 rows (100%), 7 rows/s, 0 s left");
    }

    @Test
    void aRunThatEndsBeforeCountingDrawsNothing() {
        StringWriter text = new StringWriter();
        new ProgressLine("users", new PrintWriter(text), System::nanoTime).finish(0);
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void timeLeftReadsAsPeopleSayIt() {
        assertThat(ProgressLine.duration(Duration.ofSeconds(7))).isEqualTo("7 s");
        assertThat(ProgressLine.duration(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(ProgressLine.duration(Duration.ofMinutes(130))).isEqualTo("2 h 10 min");
    }

    /** A command with only the option. */
    static final class ProgressOnly {
        @Mixin
        ProgressOption progress;
    }

    @Test
    void theOptionIsNegatableAndUnsetByDefault() {
        assertThat(CommandLine.populateCommand(new ProgressOnly(), "--progress").progress.forced()).contains(true);
        assertThat(CommandLine.populateCommand(new ProgressOnly(), "--no-progress").progress.forced()).contains(false);
        assertThat(CommandLine.populateCommand(new ProgressOnly()).progress.forced()).isEmpty();
        assertThat(CommandLine.populateCommand(new ProgressOnly(), "--progress").progress.enabled(true))
                .as("never with --json").isFalse();
    }

    @Test
    void forcedOnTheSyncShowsProgressLinesEndingInTheFinalCount() throws IOException {
        Path config = demoWithoutSyncing();

        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--progress");

        assertThat(result.exitCode()).as(result.err()).isZero();
        int rows = DemoData.attributes().size();
        assertThat(result.out()).contains("\rattributes: 0 of " + rows + " rows (0%)");
        assertThat(lastProgress(result.out(), "attributes")).startsWith("attributes: " + rows + " of " + rows
                + " rows (100%)");
        assertThat(lastProgress(result.out(), "events")).startsWith("events: " + DemoData.events().size() + " of "
                + DemoData.events().size() + " rows (100%)");
        assertThat(result.out()).contains("attributes: PARTIAL in ").contains("; rows read " + rows + ", synced ");
    }

    @Test
    void theDemoShowsProgressWhenForcedAndNotWhenTheOutputIsNoTerminal() {
        TestingCli.Result forced = TestingCli.run("demo", "--dir", directory.toString(), "--progress");
        assertThat(forced.out()).contains("\rattributes: ").contains("\rpurchases: ");

        TestingCli.Result byDefault = TestingCli.run("demo", "--dir", directory.toString());
        assertThat(byDefault.out()).as("the tests' output is no terminal").doesNotContain("\r");
    }

    @Test
    void noProgressWithJsonEvenWhenForced() throws IOException {
        Path config = demoWithoutSyncing();

        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--json", "--progress");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).doesNotContain("\r").doesNotContain(" rows (");
        assertThat(result.out().lines()).hasSize(3).allMatch(line -> line.startsWith("{"));
    }

    @Test
    void noProgressWhenTurnedOff() throws IOException {
        Path config = demoWithoutSyncing();

        TestingCli.Result result = TestingCli.run("sync", "--config", config.toString(), "--no-progress");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).doesNotContain("\r").contains("attributes: PARTIAL in ");
    }

    private Path demoWithoutSyncing() {
        new DemoWarehouse(directory.resolve(DemoConfig.WAREHOUSE_FILE)).createMissingTables();
        Path config = directory.resolve(DemoConfig.CONFIG_FILE);
        DemoConfig.writeIfAbsent(config);
        return config;
    }

    /** The last progress line drawn for an integration, between carriage returns. */
    private static String lastProgress(String out, String integration) {
        List<String> drawn = Arrays.stream(out.split("\r"))
                .filter(part -> part.startsWith(integration + ": ") && part.contains(" rows ("))
                .toList();
        assertThat(drawn).as("progress lines for " + integration).isNotEmpty();
        return drawn.get(drawn.size() - 1);
    }
}
