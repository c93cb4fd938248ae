package dev.cdi.redshift;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.sink.JsonLinesSink;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A separate JVM that syncs one Redshift table into a JSON-lines file, so that a test can give it a small heap.
 * Prints the run's status and exits 0 when it succeeded.
 */
public final class SyncProcess {
    private SyncProcess() {
    }

    /**
     * Runs the sync.
     *
     * @param args host, port, database, user, password, table, sink file
     */
    public static void main(String[] args) {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", args[0]);
        settings.put("port", args[1]);
        settings.put("database", args[2]);
        settings.put("user", args[3]);
        settings.put("password", args[4]);
        settings.put("ssl", "false");
        SyncSpec spec = SyncSpec.builder().integration("large")
                .connector("redshift", new ConnectorSettings(settings, RedshiftSettings.SECRET_KEYS))
                .table(args[5]).dataType(DataType.ATTRIBUTES).build();
        RunResult result;
        try (JsonLinesSink sink = new JsonLinesSink(Path.of(args[6]))) {
            result = SyncEngine.builder().build().run(spec, sink);
        }
        System.out.println(result.status() + " " + result.rowsSynced() + " " + result.error().map(Object::toString).orElse(""));
        System.exit(result.status() == dev.cdi.api.RunStatus.SUCCESS ? 0 : 1);
    }
}
