package dev.cdi.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option the commands on a configuration file share.
 *
 * <p>Not thread-safe; picocli fills one per command line.
 */
final class ConfigOption {

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The YAML or JSON configuration file; relative paths in it are relative to its directory.")
    private Path file;

    /**
     * Reads and checks the file and opens its state and history.
     *
     * @return the workspace
     * @throws ConfigException when the file is wrong
     */
    Workspace open() {
        return Workspace.open(file);
    }
}
