package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the command line reads from its process rather than its arguments: environment variables and the working
 * directory. Tests pass their own instead of changing the real ones.
 *
 * @param variables the environment variables by name, empty when unset
 * @param workingDirectory the directory relative paths such as the default {@code ./cdi.yaml} start from
 *
 * <p>Thread-safe when {@code variables} is.
 */
record CliEnvironment(Function<String, Optional<String>> variables, Path workingDirectory) {

    CliEnvironment {
        requireNonNull(variables, "variables is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
    }

    /**
     * The process's own environment and working directory.
     *
     * @return the environment
     */
    static CliEnvironment system() {
        return new CliEnvironment(name -> Optional.ofNullable(System.getenv(name)), Path.of(""));
    }

    /**
     * Given variables and working directory, for tests.
     *
     * @param variables the variables that are set
     * @param workingDirectory the working directory
     * @return the environment
     */
    static CliEnvironment of(Map<String, String> variables, Path workingDirectory) {
        Map<String, String> copy = Map.copyOf(variables);
        return new CliEnvironment(name -> Optional.ofNullable(copy.get(name)), workingDirectory);
    }

    /**
     * A variable, when set and not blank.
     *
     * @param name its name
     * @return its value
     */
    Optional<String> variable(String name) {
        return variables.apply(name).filter(value -> !value.isBlank());
    }
}
