package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A durable {@link RunHistory} for single-process use: one JSON file per run, at
 * {@code <directory>/<integration>/<runId>.json}, holding the run's summary and its row errors.
 *
 * <p>Each write goes to a temporary file that is forced to disk and renamed over the run's file atomically, so a
 * process killed at any instant leaves the old record or the new one. Listing reads the integration's files, so
 * it is linear in the runs kept: {@link #prune} keeps that bounded. Thread-safe within one process (every method
 * holds one lock); several processes must not write to one directory at once.
 */
public final class FileRunHistory implements RunHistory {
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY_MARKER = ".tmp-";
    private static final Pattern SAFE_INTEGRATION = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern SAFE_RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Comparator<RunSummary> NEWEST_FIRST = Comparator.comparing(RunSummary::startedAt)
            .thenComparing(RunSummary::runId).reversed();

    private final Path directory;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Opens (and creates when missing) a history directory.
     *
     * @param directory the directory
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when it cannot be created
     */
    public FileRunHistory(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw failure("Cannot open run history directory " + directory, e);
        }
    }

    /**
     * The directory holding the run files.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    @Override
    public synchronized void recordStart(String runId, String integration, Instant startedAt) {
        RunSummary running = RunSummary.running(runId, integration, startedAt);
        requireSafeRunId(runId);
        if (find(runId).isPresent()) {
            throw new IllegalArgumentException("run " + runId + " was recorded before");
        }
        write(running, List.of());
    }

    @Override
    public synchronized void recordEnd(RunResult run) {
        requireNonNull(run, "run is null");
        if (run.status() == RunStatus.RUNNING) {
            throw new IllegalArgumentException("run " + run.runId() + " has not ended: its status is RUNNING");
        }
        requireSafeRunId(run.runId());
        write(RunSummary.of(run), run.rowErrors());
    }

    @Override
    public synchronized List<RunSummary> endAbandonedRuns(String integration, Instant at) {
        requireNonNull(integration, "integration is null");
        requireNonNull(at, "at is null");
        if (!SAFE_INTEGRATION.matcher(integration).matches()) {
            return List.of();
        }
        List<RunSummary> ended = new ArrayList<>();
        for (Path file : files(directory.resolve(integration))) {
            RunSummary run = RunFileFormat.summary(read(file));
            if (run.status() == RunStatus.RUNNING) {
                RunSummary abandoned = run.abandoned(at);
                write(abandoned, List.of());
                ended.add(abandoned);
            }
        }
        return List.copyOf(ended);
    }

    @Override
    public synchronized Set<String> integrationsWithRunningRuns() {
        Set<String> integrations = new TreeSet<>();
        for (Path integrationDirectory : integrationDirectories()) {
            for (Path file : files(integrationDirectory)) {
                RunSummary run = RunFileFormat.summary(read(file));
                if (run.status() == RunStatus.RUNNING) {
                    integrations.add(run.integration());
                    break;
                }
            }
        }
        return Set.copyOf(integrations);
    }

    @Override
    public synchronized Optional<RunSummary> run(String runId) {
        requireNonNull(runId, "runId is null");
        return find(runId).map(file -> RunFileFormat.summary(read(file)));
    }

    @Override
    public synchronized List<RunSummary> runs(String integration, int limit) {
        requireNonNull(integration, "integration is null");
        RunHistoryChecks.requirePositiveLimit(limit);
        if (!SAFE_INTEGRATION.matcher(integration).matches()) {
            return List.of();
        }
        List<RunSummary> found = new ArrayList<>();
        for (Path file : files(directory.resolve(integration))) {
            found.add(RunFileFormat.summary(read(file)));
        }
        return found.stream().sorted(NEWEST_FIRST).limit(limit).toList();
    }

    @Override
    public synchronized List<RecordedRowError> rowErrors(String runId, int offset, int limit) {
        return RunHistoryChecks.page(runId, find(requireNonNull(runId, "runId is null")).map(file -> errorsOf(file)).orElse(List.of()), offset, limit);
    }

    @Override
    public synchronized List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit) {
        requireNonNull(integration, "integration is null");
        return RunHistoryChecks.byIdentifier(runs(integration, Integer.MAX_VALUE),
                runId -> find(runId).map(file -> errorsOf(file)).orElse(List.of()), identifier, limit);
    }

    @Override
    public synchronized void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now) {
        RunHistoryChecks.requireRetentions(rowDetailRetention, summaryRetention);
        requireNonNull(now, "now is null");
        Instant detailCutoff = now.minus(rowDetailRetention);
        Instant summaryCutoff = now.minus(summaryRetention);
        for (Path integrationDirectory : integrationDirectories()) {
            for (Path file : files(integrationDirectory)) {
                JsonNode root = read(file);
                RunSummary run = RunFileFormat.summary(root);
                if (run.startedAt().isBefore(summaryCutoff)) {
                    delete(file);
                } else if (run.startedAt().isBefore(detailCutoff) && !root.path("rowErrors").isEmpty()) {
                    write(run, List.of());
                }
            }
        }
    }

    private Optional<Path> find(String runId) {
        if (!SAFE_RUN_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        for (Path integrationDirectory : integrationDirectories()) {
            Path file = integrationDirectory.resolve(runId + SUFFIX);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private List<RowError> errorsOf(Path file) {
        try {
            return RunFileFormat.rowErrors(read(file));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(file, e);
        }
    }

    private JsonNode read(Path file) {
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null) {
                throw new IllegalArgumentException("empty file");
            }
            RunFileFormat.summary(root);
            return root;
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(file, e);
        }
    }

    private void write(RunSummary run, List<RowError> errors) {
        Path integrationDirectory = directory.resolve(run.integration());
        if (!SAFE_INTEGRATION.matcher(run.integration()).matches()) {
            throw new IllegalArgumentException("integration name '" + run.integration() + "' must match [a-z][a-z0-9_-]*");
        }
        Path file = integrationDirectory.resolve(run.runId() + SUFFIX);
        Path temporary = integrationDirectory.resolve(run.runId() + SUFFIX + TEMPORARY_MARKER + UUID.randomUUID());
        try {
            Files.createDirectories(integrationDirectory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    RunFileFormat.write(json, run, errors);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + file + " cannot rename atomically; choose another directory", e);
            }
            forceDirectory(integrationDirectory);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // A leftover temporary file is never read: its name does not end with the suffix.
            }
            throw failure("[" + run.integration() + "] Cannot record run " + run.runId() + " in " + file, e);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        // Makes the rename itself durable; some platforms cannot open a directory, and there it is best effort.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException platformCannot) {
            if (!Files.isDirectory(directory)) {
                throw new IOException("run history directory " + directory + " disappeared", platformCannot);
            }
        }
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("Cannot delete run file " + file, e);
        }
    }

    private List<Path> integrationDirectories() {
        return list(directory, Files::isDirectory);
    }

    private List<Path> files(Path integrationDirectory) {
        return list(integrationDirectory, file -> file.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(file));
    }

    private static List<Path> list(Path parent, java.util.function.Predicate<Path> filter) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(filter).sorted().toList();
        } catch (IOException e) {
            throw failure("Cannot list run history directory " + parent, e);
        }
    }

    private static void requireSafeRunId(String runId) {
        if (!SAFE_RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' must match [A-Za-z0-9][A-Za-z0-9_.-]*");
        }
    }

    private static CdiException failure(String message, IOException cause) {
        return new CdiException(ErrorCode.STATE_STORE_FAILED, message + ": " + cause, cause);
    }

    private static CdiException corrupt(Path file, Exception cause) {
        return new CdiException(ErrorCode.STATE_STORE_FAILED, "Run file " + file + " cannot be read (" + cause.getMessage()
                + "); fix or delete it", cause);
    }
}
