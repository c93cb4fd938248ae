package dev.cdi.duckdb;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validated settings of a DuckDB connector. Immutable and thread-safe.
 *
 * @param path the database file, relative paths as given (resolved against the working directory)
 * @param readOnly whether the database is opened read-only
 */
record DuckDbConfig(Path path, boolean readOnly) {

    /** The setting that names the database file. */
    static final String PATH = "path";
    /** The setting that opens the file read-write when {@code false}. */
    static final String READ_ONLY = "readOnly";

    private static final Set<String> KNOWN = Set.of(PATH, READ_ONLY);

    DuckDbConfig {
        requireNonNull(path, "path is null");
    }

    /**
     * Validates settings without touching the file system.
     *
     * @param settings the connection settings
     * @return the configuration
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the bad setting
     */
    static DuckDbConfig fromSettings(ConnectorSettings settings) {
        requireNonNull(settings, "settings is null");
        Set<String> unknown = new TreeSet<>(settings.values().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw invalid("Unknown DuckDB connection setting(s) " + unknown + "; known settings: path, readOnly");
        }
        String pathText = settings.require(PATH);
        // The DuckDB JDBC URL reads ';' as the start of URL options, so such a path would open another file.
        if (pathText.indexOf(';') >= 0) {
            throw invalid("Connection setting 'path' must not contain ';' (the DuckDB JDBC URL cannot carry it): "
                    + pathText);
        }
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Connection setting 'path' is not a valid file path: " + e.getMessage(), e);
        }
        boolean readOnly = settings.getBoolean(READ_ONLY).orElse(true);
        return new DuckDbConfig(path, readOnly);
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
