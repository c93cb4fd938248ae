package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --config the commands read $CDI_CONFIG, or else ./cdi.yaml; an explicit --config wins over both. */
class ConfigDefaultTest {

    @TempDir
    Path directory;

    private Path demo;
    private Path other;

    @BeforeEach
    void twoDemos() {
        demo = directory.resolve("demo");
        other = directory.resolve("other");
        assertThat(TestingCli.run("demo", "--dir", demo.toString()).exitCode()).isZero();
        assertThat(TestingCli.run("demo", "--dir", other.toString()).exitCode()).isZero();
    }

    @Test
    void withoutConfigTheCommandsReadCdiYamlInTheWorkingDirectory() {
        CliEnvironment inDemo = CliEnvironment.of(Map.of(), demo);

        TestingCli.Result sync = TestingCli.runIn(inDemo, "sync");
        assertThat(sync.exitCode()).as(sync.err()).isZero();
        assertThat(sync.out()).contains("attributes: SUCCESS in ").contains("rows read 0,");

        TestingCli.Result integrations = TestingCli.runIn(inDemo, "integrations");
        assertThat(integrations.exitCode()).as(integrations.err()).isZero();
        assertThat(integrations.out()).contains("attributes").contains("events").contains("purchases");
        TestingCli.Result syncNow = TestingCli.runIn(inDemo, "sync-now", "events");
        assertThat(syncNow.exitCode()).as(syncNow.err()).isZero();
        assertThat(syncNow.out()).contains("events: SUCCESS in ");
        TestingCli.Result runs = TestingCli.runIn(inDemo, "runs", "attributes");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out().lines()).as("the header, the demo's run and the sync's").hasSize(3);
    }

    @Test
    void theEnvironmentVariableNamesTheFileAndAnExplicitConfigWins() {
        TestingCli.run("sync", "--config", other.resolve("cdi.yaml").toString(), "--integration", "events");
        CliEnvironment named = CliEnvironment.of(Map.of("CDI_CONFIG", "other/cdi.yaml"), directory);

        TestingCli.Result fromVariable = TestingCli.runIn(named, "runs", "events");
        assertThat(fromVariable.exitCode()).as(fromVariable.err()).isZero();
        assertThat(fromVariable.out().lines()).as("other's two runs of events").hasSize(3);

        TestingCli.Result explicit = TestingCli.runIn(named, "runs", "events", "--config",
                demo.resolve("cdi.yaml").toString());
        assertThat(explicit.exitCode()).as(explicit.err()).isZero();
        assertThat(explicit.out().lines()).as("demo's one run of events").hasSize(2);
    }

    @Test
    void theEnvironmentVariableWinsOverTheWorkingDirectory() {
        TestingCli.run("sync", "--config", other.resolve("cdi.yaml").toString(), "--integration", "events");
        CliEnvironment inDemoNamingOther = CliEnvironment.of(Map.of("CDI_CONFIG", other.resolve("cdi.yaml")
                .toString()), demo);

        TestingCli.Result result = TestingCli.runIn(inDemoNamingOther, "runs", "events");
        assertThat(result.out().lines()).as("other's two runs of events").hasSize(3);
    }

    @Test
    void aMissingDefaultIsAUsageErrorSayingWhatWasLookedFor() throws IOException {
        Path empty = Files.createDirectory(directory.resolve("empty"));

        TestingCli.Result result = TestingCli.runIn(CliEnvironment.of(Map.of(), empty), "sync");

        TestingCli.assertUsageError(result, "no configuration file: looked for ./cdi.yaml in " + empty.toAbsolutePath()
                + "; give --config FILE, set CDI_CONFIG", empty);
    }

    @Test
    void aMissingFileNamedByTheVariableSaysSo() throws IOException {
        Path empty = Files.createDirectory(directory.resolve("empty"));

        TestingCli.Result result = TestingCli.runIn(CliEnvironment.of(Map.of("CDI_CONFIG", "nowhere.yaml"), empty),
                "runs", "attributes");

        TestingCli.assertUsageError(result, empty.resolve("nowhere.yaml") + ": no such configuration file (named by "
                + "CDI_CONFIG)", empty);
    }

    @Test
    void theDemoSaysHowToRunTheCommandsThatFollowFromItsDirectory() {
        CliEnvironment fromRepository = CliEnvironment.of(Map.of("CDI_COMMAND", directory.resolve("cdi").toString()),
                directory);

        TestingCli.Result result = TestingCli.runIn(fromRepository, "demo", "--dir", demo.toString());

        assertThat(result.out())
                .contains("The other commands read ./cdi.yaml (or $CDI_CONFIG) when --config is not given, so from "
                        + "the demo directory:")
                .contains("  ../cdi sync --json ")
                .contains("  ../cdi runs attributes ")
                .contains("CDI_CONFIG=");
        assertThat(TestingCli.run("demo", "--dir", demo.toString()).out()).as("without the script's variable")
                .contains("  cdi sync --json ");
    }
}
