package dev.cdi.duckdb;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingValues;
import dev.cdi.api.SettingsSchema;
import java.nio.file.Path;
import java.util.List;

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

    /** The declared settings, in the order documentation lists them. */
    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(PATH, SettingType.PATH,
                    "the database file; it must exist (it is never created)").asRequired(),
            SettingDefinition.of(READ_ONLY, SettingType.BOOLEAN,
                    "open the file read-only; false only when this JVM also has it open read-write")
                    .withDefault("true"));

    private static final SettingsSchema SCHEMA = new SettingsSchema(DuckDbConnectorProvider.NAME, SETTINGS);

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
        SettingValues values = SCHEMA.parse(settings);
        Path path = values.path(PATH).orElseThrow();
        // The DuckDB JDBC URL reads ';' as the start of URL options, so such a path would open another file.
        if (path.toString().indexOf(';') >= 0) {
            throw invalid("Connection setting 'path' must not contain ';' (the DuckDB JDBC URL cannot carry it): "
                    + path);
        }
        return new DuckDbConfig(path, values.bool(READ_ONLY).orElseThrow());
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
