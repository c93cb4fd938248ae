package dev.cdi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --config FILE} option the commands on a configuration file share. Without it the file is the one the
 * {@value #VARIABLE} environment variable names, or else {@code cdi.yaml} in the working directory.
 *
 * <p>Not thread-safe; picocli fills one per command line.
 */
final class ConfigOption {
    /** The environment variable that names the configuration file when {@code --config} is not given. */
    static final String VARIABLE = "CDI_CONFIG";
    /** The file looked for in the working directory when neither {@code --config} nor the variable is given. */
    static final String DEFAULT_FILE = "cdi.yaml";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The YAML or JSON configuration file (default: $" + VARIABLE + " when set, otherwise ./"
                    + DEFAULT_FILE + "); relative paths in it are relative to its directory.")
    private Optional<Path> file = Optional.empty();

    /**
     * Reads and checks the file and opens its state and history.
     *
     * @return the workspace
     * @throws ConfigException when the file is wrong
     */
    Workspace open() {
        return Workspace.open(file());
    }

    /**
     * The configuration file: {@code --config}, else {@value #VARIABLE}, else {@code ./cdi.yaml}.
     *
     * @return the file, not checked when given explicitly (loading it says what is wrong)
     * @throws ConfigException when none is given and there is no {@code ./cdi.yaml}, or the variable names no file
     */
    Path file() {
        if (file.isPresent()) {
            return file.get();
        }
        CliEnvironment environment = Cdi.environment(command);
        Optional<String> named = environment.variable(VARIABLE);
        if (named.isPresent()) {
            Path fromVariable = environment.workingDirectory().resolve(named.get());
            if (!Files.exists(fromVariable)) {
                throw new ConfigException(fromVariable + ": no such configuration file (named by " + VARIABLE + ")");
            }
            return fromVariable;
        }
        Path byDefault = environment.workingDirectory().resolve(DEFAULT_FILE);
        if (!Files.exists(byDefault)) {
            throw new ConfigException("no configuration file: looked for ./" + DEFAULT_FILE
                    + " in " + byDefault.toAbsolutePath().getParent() + "; give --config FILE, set " + VARIABLE
                    + ", or run it in the directory of a " + DEFAULT_FILE + " (such as the one 'cdi demo' writes)");
        }
        return byDefault;
    }
}
