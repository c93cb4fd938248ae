package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CdiTest {

    @Test
    void versionEverywhere() {
        for (String[] args : new String[][] {{"--version"}, {"sync", "--version"}, {"demo", "-V"}}) {
            TestingCli.Result result = TestingCli.run(args);

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("cdi 0.").contains("Java 17");
        }
    }

    @Test
    void helpEverywhere() {
        assertThat(TestingCli.run("--help").out()).contains("demo", "sync", "Without a command, runs 'cdi demo'");
        assertThat(TestingCli.run("sync", "--help").out()).contains("--config=FILE", "--integration=NAME", "--json",
                "Exit codes:");
        assertThat(TestingCli.run("help", "demo").out()).contains("--dir=DIR", "--add=N", "./cdi-demo");
    }

    @Test
    void unknownCommandIsAUsageError() {
        TestingCli.Result result = TestingCli.run("snc");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("Unmatched argument at index 0: 'snc'").contains("Did you mean: cdi sync");
    }
}
