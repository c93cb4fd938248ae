package dev.cdi.fabric;

import static java.util.Objects.requireNonNull;

import dev.cdi.fabric.internal.PemTrustManager;
import dev.cdi.jdbc.ConnectionSource;
import dev.cdi.jdbc.JdbcPool;
import dev.cdi.jdbc.LazyPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The pooled connections of a Fabric connector: Microsoft's SQL Server driver, TLS always on with the server's
 * certificate checked ({@code encrypt=true} or {@code strict}, {@code trustServerCertificate=false}), logged in with a
 * Microsoft Entra token from {@link FabricTokens} through the driver's access-token callback.
 *
 * <p>Thread-safe.
 */
final class FabricConnections implements ConnectionSource {
    private final FabricSettings settings;
    private final FabricTokens tokens;

    private final LazyPool pool;

    FabricConnections(FabricSettings settings, FabricTokens tokens) {
        this.settings = requireNonNull(settings, "settings is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.pool = new LazyPool(FabricConnectorProvider.NAME, () -> JdbcPool.builder(FabricConnectorProvider.NAME,
                        jdbcUrl(settings))
                .driver(new FabricDriver(tokens))
                .connectionTimeout(settings.connectTimeout())
                .build());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * The driver's URL: every property in it, values in braces (so a name may hold {@code ;} or {@code =}). No
     * secret is part of it.
     *
     * @param settings the settings
     * @return the URL
     */
    static String jdbcUrl(FabricSettings settings) {
        StringBuilder url = new StringBuilder("jdbc:sqlserver://").append(settings.host()).append(':')
                .append(settings.port());
        property(url, "databaseName", settings.warehouse());
        property(url, "encrypt", settings.encrypt().equals(FabricSettings.STRICT) ? "strict" : "true");
        property(url, "trustServerCertificate", "false");
        // Strict encryption compares the server's certificate with the given one; TDS 7 encryption checks the chain
        // against it through a trust manager the driver loads by name.
        settings.trustedCertificate().ifPresent(file -> {
            if (settings.encrypt().equals(FabricSettings.STRICT)) {
                property(url, "serverCertificate", file.toAbsolutePath().toString());
            } else {
                property(url, "trustManagerClass", PemTrustManager.class.getName());
                property(url, "trustManagerConstructorArg", file.toAbsolutePath().toString());
            }
        });
        property(url, "loginTimeout", Long.toString(ceilSeconds(settings.connectTimeout())));
        settings.queryTimeout().ifPresent(timeout -> property(url, "queryTimeout", Long.toString(ceilSeconds(timeout))));
        property(url, "applicationName", "CDI");
        return url.toString();
    }

    private static void property(StringBuilder url, String key, String value) {
        url.append(';').append(key).append("={").append(value.replace("}", "}}")).append('}');
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() == 0 ? seconds : seconds + 1;
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
        return "FabricConnections[" + settings.warehouse() + " at " + settings.host() + ":" + settings.port()
                + " as application " + settings.clientId() + "]";
    }
}
