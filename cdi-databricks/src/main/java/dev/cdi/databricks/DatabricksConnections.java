package dev.cdi.databricks;

import static java.util.Objects.requireNonNull;

import com.databricks.client.jdbc.Driver;
import dev.cdi.databricks.DatabricksSettings.PersonalAccessToken;
import dev.cdi.databricks.DatabricksSettings.ServicePrincipal;
import dev.cdi.jdbc.ConnectionSource;
import dev.cdi.jdbc.JdbcPool;
import dev.cdi.jdbc.LazyPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connections of a Databricks connector, and the wait for a starting SQL warehouse.
 *
 * <p>The driver speaks the SQL Statement Execution API ({@code UseThriftClient=0}) and fetches results as Arrow
 * files from cloud storage ("Cloud Fetch"), which streams a result of any size; inline results would be capped at
 * 25 MiB by Databricks and held whole by the driver. At most {@value #CHUNKS_IN_MEMORY} chunks are downloaded ahead
 * (the driver's default is 16), since the pipeline reads ahead itself. Telemetry is off.
 *
 * <p><b>Warm-up.</b> A classic or pro SQL warehouse that has stopped takes minutes to start, and its statements wait
 * as {@code PENDING} meanwhile. Before a connection is handed out (when the warehouse has not been seen running in the
 * last {@value #RUNNING_CONFIRMED_SECONDS} seconds), a {@code SELECT 1} with a short client-side timeout checks it;
 * while it times out, the warehouse is starting: the wait is logged ("waited 1m30s of 10m") and the check repeated,
 * for at most {@code warmupTimeout}. Past that the connection fails with a retryable connection error that says so.
 *
 * <p>Thread-safe.
 */
final class DatabricksConnections implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(DatabricksConnections.class);

    static final int CHUNKS_IN_MEMORY = 2;
    static final long RUNNING_CONFIRMED_SECONDS = 60;
    private static final Duration LONGEST_PROBE = Duration.ofSeconds(10);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final DatabricksSettings settings;
    private final Clock clock;

    private final LazyPool pool;
    private volatile Instant runningConfirmedAt = Instant.MIN;

    DatabricksConnections(DatabricksSettings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.pool = new LazyPool(DatabricksConnectorProvider.NAME, this::buildPool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = pool.getConnection();
        try {
            if (clock.instant().isAfter(runningConfirmedAt.plusSeconds(RUNNING_CONFIRMED_SECONDS))) {
                awaitRunningWarehouse(connection);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void awaitRunningWarehouse(Connection connection) throws SQLException {
        Instant start = clock.instant();
        Instant lastReport = start;
        Duration bound = settings.warmupTimeout();
        while (true) {
            Duration waited = Duration.between(start, clock.instant());
            Duration left = bound.minus(waited);
            long probeSeconds = Math.max(1, Math.min(LONGEST_PROBE.toSeconds(), ceilSeconds(left)));
            try (Statement probe = connection.createStatement()) {
                probe.setQueryTimeout((int) probeSeconds);
                probe.execute("SELECT 1");
                runningConfirmedAt = clock.instant();
                if (!waited.isZero() && waited.compareTo(Duration.ofSeconds(1)) >= 0) {
                    LOG.info("Databricks SQL warehouse {} is running, after waiting {} for it to start",
                            settings.warehouseId(), format(Duration.between(start, clock.instant())));
                }
                return;
            } catch (SQLTimeoutException starting) {
                Duration now = Duration.between(start, clock.instant());
                if (now.compareTo(bound) >= 0) {
                    throw new SQLTransientConnectionException(DatabricksErrors.WAREHOUSE_NOT_STARTED + " "
                            + format(bound) + " (warmupTimeout): Databricks SQL warehouse " + settings.warehouseId()
                            + " at " + settings.host() + " is still starting or queued", "08001", starting);
                }
                if (Duration.between(lastReport, clock.instant()).compareTo(PROGRESS_EVERY) >= 0
                        || lastReport.equals(start)) {
                    lastReport = clock.instant();
                    LOG.info("Databricks SQL warehouse {} is starting: waited {} of {}", settings.warehouseId(),
                            format(now), format(bound));
                }
            }
        }
    }

    private JdbcPool buildPool() {
        String schemaPath = settings.schema().orElse("default");
        JdbcPool.Builder builder = JdbcPool.builder(DatabricksConnectorProvider.NAME,
                        "jdbc:databricks://" + settings.host() + ":" + settings.port() + "/" + schemaPath)
                .driver(new Driver())
                .property("transportMode", "http")
                .property("ssl", settings.ssl() ? "1" : "0")
                .property("httpPath", settings.httpPath())
                .property("UseThriftClient", "0")
                .property("UseBoundedSeaApi", "0")
                .property("EnableTelemetry", "0")
                .property("cloudFetchThreadPoolSize", Integer.toString(CHUNKS_IN_MEMORY))
                .property("UserAgentEntry", "CDI")
                // Warm-up is bounded by the probe, not by the pool's wait for a connection.
                .connectionTimeout(Duration.ofSeconds(60));
        if (settings.authentication() instanceof PersonalAccessToken token) {
            builder.property("AuthMech", "3").user("token").password(token.token());
        } else if (settings.authentication() instanceof ServicePrincipal principal) {
            builder.property("AuthMech", "11").property("Auth_Flow", "1")
                    .property("OAuth2ClientId", principal.clientId())
                    .secretProperty("OAuth2Secret", principal.clientSecret());
        }
        settings.catalog().ifPresent(catalog -> builder.property("ConnCatalog", catalog));
        settings.schema().ifPresent(schema -> builder.property("ConnSchema", schema));
        settings.queryTimeout().ifPresent(timeout -> builder.property("STATEMENT_TIMEOUT",
                Long.toString(ceilSeconds(timeout))));
        return builder.build();
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() == 0 ? seconds : seconds + 1;
    }

    private static String format(Duration duration) {
        long seconds = ceilSeconds(duration);
        long minutes = seconds / 60;
        long rest = seconds % 60;
        if (minutes == 0) {
            return rest + "s";
        }
        return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
    }

    @Override
    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "DatabricksConnections[" + settings.host() + ":" + settings.port() + settings.httpPath() + "]";
    }
}
