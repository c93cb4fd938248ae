package dev.cdi.core.state;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server shared by every test in the JVM, started on first use and stopped at exit.
 * Tests isolate themselves with a fresh schema each.
 *
 * <p>Thread-safe.
 */
public final class TestingPostgres {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestingPostgres() {
    }

    /**
     * A new data source on the shared server: each has its own connections, as separate processes would.
     *
     * @return the data source
     */
    public static synchronized DataSource newDataSource() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("timezone", "Asia/Kathmandu").start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the temporary data directory is all that is left behind.
                }
            }));
        }
        return server.getPostgresDatabase();
    }

    /**
     * A schema name no other test uses.
     *
     * @return the name
     */
    public static String newSchema() {
        return "test_" + SCHEMAS.incrementAndGet();
    }
}
