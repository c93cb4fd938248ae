package dev.cdi.redshift.tunnel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link KnownHosts} in a text file of {@code host:port SHA256:...} lines; blank lines and lines starting with
 * {@code #} are ignored. This is not OpenSSH's {@code known_hosts} format, and never {@code ~/.ssh/known_hosts}.
 *
 * <p>Every call reads the file, so several instances (and processes) see each other's entries. {@link #remember}
 * rewrites the whole file to a temporary file and renames it over the old one atomically, so a reader never sees a
 * half-written file; comments are not kept. Thread-safe within one process; two processes remembering at the
 * same moment may lose one of the two entries, which only means that host's key is recorded again on its next
 * first use.
 */
public final class FileKnownHosts implements KnownHosts {
    private static final String HEADER = "# SSH host keys that CDI trusts: one 'host:port SHA256:fingerprint' per line";
    private static final String TEMPORARY_MARKER = ".tmp-";

    private final Path file;

    /**
     * Known hosts in a file. Does not touch the file system; the file and its directory are created by the first
     * {@link #remember}.
     *
     * @param file the file
     */
    public FileKnownHosts(Path file) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
    }

    /**
     * {@inheritDoc}
     *
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when the file cannot be read, or with
     *         {@link ErrorCode#INVALID_CONFIGURATION} naming the line that is malformed
     */
    @Override
    public synchronized Optional<String> fingerprintOf(String host, int port) {
        HostPort key = new HostPort(requireNonNull(host, "host is null"), port);
        return Optional.ofNullable(read().get(key));
    }

    /**
     * {@inheritDoc}
     *
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when the file cannot be read or written, or
     *         with {@link ErrorCode#INVALID_CONFIGURATION} when an argument or a line of the file is malformed
     */
    @Override
    public synchronized void remember(String host, int port, String fingerprint) {
        HostPort key = new HostPort(requireNonNull(host, "host is null"), port);
        String checked = SshFingerprints.requireValid(fingerprint, "The fingerprint of " + key);
        Map<HostPort, String> entries = read();
        entries.put(key, checked);
        write(entries);
    }

    /**
     * The file.
     *
     * @return the absolute path of the file
     */
    public Path file() {
        return file;
    }

    /**
     * Names the file.
     *
     * @return for example {@code known hosts file /var/lib/cdi/known_hosts}
     */
    @Override
    public String toString() {
        return "known hosts file " + file;
    }

    private Map<HostPort, String> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, "Cannot read the " + this + ": " + e, e);
        }
        Map<HostPort, String> entries = new LinkedHashMap<>();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("expected 'host:port SHA256:fingerprint'");
                }
                HostPort key = HostPort.parse(parts[0]);
                entries.put(key, SshFingerprints.requireValid(parts[1], "The fingerprint of " + key));
            } catch (IllegalArgumentException | CdiException e) {
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "The " + this + " is malformed at line "
                        + (index + 1) + " ('" + line + "'): " + e.getMessage()
                        + "; fix or delete that line", e);
            }
        }
        return entries;
    }

    private void write(Map<HostPort, String> entries) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        entries.forEach((key, fingerprint) -> text.append(key).append(' ').append(fingerprint).append('\n'));
        Path directory = file.getParent();
        Path temporary = directory.resolve(file.getFileName() + TEMPORARY_MARKER + UUID.randomUUID());
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + file + " cannot rename atomically", e);
            }
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, "Cannot write the " + this + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The write already failed; that failure is the one to report.
        }
    }
}
