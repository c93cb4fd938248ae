package dev.cdi.core.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Watermark;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A durable {@link StateStore}: one JSON file per integration in a directory.
 *
 * <p>A save writes a temporary file, forces it to disk, renames it over the old file atomically and forces the
 * directory, so a process killed at any instant leaves the old state or the new one, never a half-written
 * file. Thread-safe; several processes must not share one directory.
 */
public final class FileStateStore implements StateStore {
    private static final int FORMAT_VERSION = 1;
    private static final String SUFFIX = ".state.json";
    private static final String TEMPORARY_MARKER = ".tmp-";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private final Path directory;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Opens (and creates when missing) a state directory, and removes temporary files a killed save left.
     *
     * @param directory the directory
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when it cannot be created or read
     */
    public FileStateStore(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path leftover : (Iterable<Path>) files.filter(FileStateStore::isTemporary)::iterator) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, "Cannot open state directory " + directory + ": " + e, e);
        }
    }

    /**
     * The directory holding the state files.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<SyncState> load(String integration) {
        Path file = fileOf(integration);
        // Only a file that is certainly absent means "first run": anything else unreadable must stop the run, or
        // the whole table would be sent again.
        if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            throw corrupt(file, "it is not a regular file", null);
        }
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = mapper.readTree(in);
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw corrupt(file, e.toString(), e);
        }
        try {
            if (root == null || root.path("version").asInt() != FORMAT_VERSION) {
                throw corrupt(file, "unknown format version " + (root == null ? "none" : root.path("version")), null);
            }
            JsonNode watermark = root.required("watermark");
            Set<Fingerprint> fingerprints = new HashSet<>();
            for (JsonNode hex : root.required("fingerprints")) {
                fingerprints.add(Fingerprint.fromHex(hex.asText()));
            }
            return Optional.of(new SyncState(
                    new Watermark(Instant.parse(watermark.required("updatedAt").asText()),
                            watermark.required("rowsAtUpdatedAt").asLong()),
                    fingerprints,
                    root.required("fingerprintsComplete").asBoolean()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(file, e.getMessage(), e);
        }
    }

    @Override
    public void save(String integration, SyncState state) {
        requireNonNull(state, "state is null");
        Path file = fileOf(integration);
        Path temporary = directory.resolve(file.getFileName() + TEMPORARY_MARKER + UUID.randomUUID());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    write(json, state);
                }
                channel.force(true);
            }
            moveAtomically(temporary, file);
            forceDirectory();
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new CdiException(ErrorCode.STATE_STORE_FAILED,
                    "[" + integration + "] Cannot save state to " + file + ": " + e, e);
        }
    }

    @Override
    public void delete(String integration) {
        Path file = fileOf(integration);
        try {
            Files.deleteIfExists(file);
            forceDirectory();
        } catch (IOException e) {
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, "[" + integration + "] Cannot delete " + file + ": " + e, e);
        }
    }

    private static void write(JsonGenerator json, SyncState state) throws IOException {
        json.writeStartObject();
        json.writeNumberField("version", FORMAT_VERSION);
        json.writeObjectFieldStart("watermark");
        json.writeStringField("updatedAt", state.watermark().updatedAt().toString());
        json.writeNumberField("rowsAtUpdatedAt", state.watermark().rowsAtUpdatedAt());
        json.writeEndObject();
        json.writeBooleanField("fingerprintsComplete", state.fingerprintsComplete());
        json.writeArrayFieldStart("fingerprints");
        for (Fingerprint fingerprint : state.fingerprints()) {
            json.writeString(fingerprint.toHex());
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically; choose another state directory", e);
        }
    }

    private void forceDirectory() throws IOException {
        // Makes the rename itself durable; some platforms cannot open a directory, and there it is best effort.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException platformCannot) {
            if (!Files.isDirectory(directory)) {
                throw new IOException("state directory " + directory + " disappeared", platformCannot);
            }
        }
    }

    private Path fileOf(String integration) {
        requireNonNull(integration, "integration is null");
        if (!SAFE_NAME.matcher(integration).matches()) {
            throw new IllegalArgumentException("integration name '" + integration + "' must match [a-z][a-z0-9_-]*");
        }
        return directory.resolve(integration + SUFFIX);
    }

    private static boolean isTemporary(Path file) {
        return file.getFileName().toString().contains(SUFFIX + TEMPORARY_MARKER);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The constructor removes leftovers on the next start.
        }
    }

    private static CdiException corrupt(Path file, String detail, Exception cause) {
        // Never fall back to "no state": that would silently re-send the whole table.
        String message = "State file " + file + " cannot be read (" + detail + "); fix or delete it, or reset the "
                + "integration's watermark explicitly";
        return cause == null ? new CdiException(ErrorCode.STATE_STORE_FAILED, message)
                : new CdiException(ErrorCode.STATE_STORE_FAILED, message, cause);
    }
}
