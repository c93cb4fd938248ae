package dev.cdi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the local files a configuration names before anything is read or written: the state directory can be
 * created, and each sink file is a regular file that can be written, is no other file CDI uses (the configuration,
 * a state or history file, a file a connection setting names, such as a warehouse's) and belongs to one integration
 * only. Two integrations appending to
 * one file, or a sink overwriting the configuration, lose data; a named pipe hangs a run.
 */
final class LocalPaths {

    private LocalPaths() {
    }

    static void check(ConfigNode root, Path configFile, Path stateDirectory, List<IntegrationConfig> integrations) {
        requireCreatableDirectory(root, "stateDir", stateDirectory);
        Path config = canonical(configFile.toAbsolutePath().normalize());
        Path state = canonical(stateDirectory);
        Map<Path, String> connectionFiles = new HashMap<>();
        for (IntegrationConfig integration : integrations) {
            integration.connectionFiles().forEach((setting, file) -> connectionFiles.putIfAbsent(canonical(file),
                    "named by connection." + setting + " of integration '" + integration.name() + "'"));
        }
        Map<Path, String> sinks = new HashMap<>();
        for (IntegrationConfig integration : integrations) {
            if (integration.sinkFile().isEmpty()) {
                continue;
            }
            String key = "integrations (" + integration.name() + ").sink.jsonl";
            Path sink = canonical(integration.sinkFile().get());
            if (Files.exists(sink) && !Files.isRegularFile(sink)) {
                throw root.error(key, sink + " is not a regular file (a directory, a named pipe or a device)");
            }
            if (sink.equals(config)) {
                throw root.error(key, sink + " is this configuration file; appending rows to it would destroy it");
            }
            if (sink.startsWith(state)) {
                throw root.error(key, sink + " is inside stateDir " + state + ", where watermarks and run history live");
            }
            String namedBy = connectionFiles.get(sink);
            if (namedBy != null) {
                throw root.error(key, sink + " is the file " + namedBy);
            }
            String other = sinks.putIfAbsent(sink, integration.name());
            if (other != null) {
                throw root.error(key, sink + " is also the sink of integration '" + other + "'; two integrations "
                        + "writing one file would interleave their lines, so give each its own");
            }
            requireCreatableDirectory(root, key, sink.getParent());
            if (Files.exists(sink) && !Files.isWritable(sink)) {
                throw root.error(key, sink + " is not writable");
            }
        }
    }

    /** A directory that exists, or whose nearest existing ancestor is a writable directory. */
    private static void requireCreatableDirectory(ConfigNode root, String key, Path directory) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw root.error(key, directory.equals(existing) ? directory + " is a file, not a directory"
                    : directory + " cannot be created: " + existing + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw root.error(key, (directory.equals(existing) ? directory + " is not writable"
                    : directory + " cannot be created: " + existing + " is not writable"));
        }
    }

    /** The path with symbolic links resolved as far as it exists, so two names of one file compare equal. */
    private static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
