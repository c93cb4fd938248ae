package dev.cdi.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --progress} / {@code --no-progress} option of the commands that sync: a live progress line per run,
 * shown by default only when standard output is a terminal, and never with {@code --json}.
 *
 * <p>Not thread-safe; picocli fills one per command line.
 */
final class ProgressOption {

    @Option(names = "--progress", negatable = true,
            description = "Shows a live progress line per run (rows read of the rows counted, rows per second, time "
                    + "left), or with --no-progress does not; by default shown when the output is a terminal. Never "
                    + "with --json.")
    private Boolean forced;

    /**
     * What the command line said.
     *
     * @return true for {@code --progress}, false for {@code --no-progress}, empty when neither was given
     */
    Optional<Boolean> forced() {
        return Optional.ofNullable(forced);
    }

    /**
     * Whether to show progress.
     *
     * @param json whether the output is JSON, which a progress line would spoil
     * @return whether to show it
     */
    boolean enabled(boolean json) {
        if (json) {
            return false;
        }
        return forced != null ? forced : System.console() != null;
    }
}
