package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One operating-system file lock per integration, in {@code locks} under the state directory: held for a whole
 * run, so that two {@code cdi} processes (a cron run overlapping the previous one, {@code cdi run} next to
 * {@code cdi sync}) never run one integration at once. A process that dies loses its locks at once, so nothing
 * waits for an expiry. Not for a state directory on a network file system, whose locks may not be enforced.
 *
 * <p>Thread-safe.
 */
final class IntegrationLocks {
    private final Path directory;

    /**
     * Locks under a state directory.
     *
     * @param stateDirectory the state directory; its {@code locks} directory is created when first needed
     */
    IntegrationLocks(Path stateDirectory) {
        this.directory = requireNonNull(stateDirectory, "stateDirectory is null").resolve("locks");
    }

    /**
     * An integration's lock file.
     *
     * @param integration the integration's name
     * @return the file
     */
    Path file(String integration) {
        return directory.resolve(requireNonNull(integration, "integration is null") + ".lock");
    }

    /**
     * Takes an integration's lock unless another process, or another run in this one, holds it.
     *
     * @param integration the integration's name
     * @return the held lock, to close when the run ends; empty when it is held elsewhere
     * @throws CdiException {@link ErrorCode#STATE_STORE_FAILED} when the lock file cannot be opened
     */
    Optional<Held> tryLock(String integration) {
        Path file = file(integration);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new Held(channel));
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, "[" + integration + "] Cannot take the lock file "
                    + file + ": " + e, e);
        }
    }

    /** A held lock; closing it lets the next run in. */
    static final class Held implements AutoCloseable {
        private final FileChannel channel;

        private Held(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases the lock; if even that fails, the process's exit releases it.
            }
        }
    }
}
