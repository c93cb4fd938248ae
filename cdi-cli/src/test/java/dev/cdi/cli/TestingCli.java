package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs the {@code cdi} command line in-process, as {@code main} would, and captures what it prints.
 */
final class TestingCli {

    /**
     * What one invocation did.
     *
     * @param exitCode the exit code
     * @param out what it printed on standard output
     * @param err what it printed on standard error
     */
    record Result(int exitCode, String out, String err) {
    }

    private TestingCli() {
    }

    static Result run(String... args) {
        return runIn(CliEnvironment.system(), args);
    }

    /**
     * Runs the command line with given environment variables and working directory instead of the process's.
     *
     * @param environment the environment
     * @param args the arguments
     * @return what it did
     */
    static Result runIn(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Cdi.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * Writes a configuration file {@code cdi.yaml} into a directory.
     *
     * @param directory the directory
     * @param yaml the file's text
     * @return the file
     * @throws IOException when it cannot be written
     */
    static Path writeConfig(Path directory, String yaml) throws IOException {
        return Files.writeString(directory.resolve("cdi.yaml"), yaml);
    }

    /**
     * Asserts what a bad command line or configuration gives: exit 2, nothing on standard output, one line on
     * standard error starting with {@code cdi: messageStart}, and no state directory created.
     *
     * @param result what the command did
     * @param messageStart how its error line starts, after {@code cdi: }
     * @param directory the configuration's directory, where no {@code state} may have been created
     */
    static void assertUsageError(Result result, String messageStart, Path directory) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("cdi: " + messageStart);
        assertThat(result.err().strip()).as("one line, no stack trace").doesNotContain("\n");
        assertThat(directory.resolve("state")).doesNotExist();
    }
}
