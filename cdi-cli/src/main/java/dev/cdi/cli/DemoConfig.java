package dev.cdi.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's configuration file: the three sample tables as three integrations on DuckDB, in the SPEC section 12
 * format, so that {@code cdi sync --config cdi-demo/cdi.yaml} does what {@code cdi demo} does.
 *
 * <p>Thread-safe (stateless).
 */
final class DemoConfig {
    /** The warehouse file's name, next to the configuration file. */
    static final String WAREHOUSE_FILE = "warehouse.duckdb";
    /** The configuration file's name. */
    static final String CONFIG_FILE = "cdi.yaml";

    private DemoConfig() {
    }

    /**
     * Writes the configuration file unless it exists (the user may have edited it).
     *
     * @param file where to write it
     * @return whether it was written
     * @throws UncheckedIOException when it cannot be written
     */
    static boolean writeIfAbsent(Path file) {
        if (Files.exists(file)) {
            return false;
        }
        try {
            Files.writeString(file, text(), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String text() {
        return "# Written by 'cdi demo'. Run it from this directory with: cdi sync [--integration NAME] [--json]\n"
                + "# (the commands read ./cdi.yaml when --config is not given).\n"
                + "# Relative paths are relative to this file's directory.\n"
                + "stateDir: state\n"
                + "integrations:\n"
                + integration("attributes", DemoWarehouse.ATTRIBUTES_TABLE,
                        "    options:                   # all optional; defaults shown\n"
                        + "      settleLag: PT0S\n"
                        + "      lookback: PT0S\n"
                        + "      updateExistingOnly: false\n"
                        + "      batchSize: 500\n"
                        + "      rowLimit: 500000000\n")
                + integration("events", DemoWarehouse.EVENTS_TABLE, "")
                + integration("purchases", DemoWarehouse.PURCHASES_TABLE, "");
    }

    private static String integration(String name, String table, String options) {
        return "  - name: " + name + "\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: " + WAREHOUSE_FILE + "\n"
                + "    table: " + table + "\n"
                + "    dataType: " + name + "\n"
                + options
                + "    sink:\n"
                + "      jsonl: out/" + name + ".jsonl\n";
    }
}
