package dev.cdi.snowflake;

import static java.util.Objects.requireNonNull;

import dev.cdi.jdbc.ConnectionSource;
import dev.cdi.jdbc.JdbcPool;
import dev.cdi.jdbc.LazyPool;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import net.snowflake.client.api.driver.SnowflakeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connections of a Snowflake connector, logged in with a key pair (the driver signs a JWT with the private
 * key; no password exists). During a rotation the settings hold two keys: the new one is tried first and, when
 * Snowflake refuses it because the administrator has not installed it yet, the previous one, saying which worked.
 *
 * <p>The driver is kept on this machine's side: {@code disablePlatformDetection} stops it probing cloud metadata
 * addresses at login, client telemetry is off, and results come as JSON (Arrow needs JVM flags an embedding
 * application should not have to set).
 *
 * <p>Thread-safe.
 */
final class SnowflakeConnections implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeConnections.class);

    private final SnowflakeSettings settings;
    private final SnowflakeKeyPair key;
    private final Optional<SnowflakeKeyPair> previousKey;

    private final LazyPool pool;

    SnowflakeConnections(SnowflakeSettings settings, SnowflakeKeyPair key, Optional<SnowflakeKeyPair> previousKey) {
        this.settings = requireNonNull(settings, "settings is null");
        this.key = requireNonNull(key, "key is null");
        this.previousKey = requireNonNull(previousKey, "previousKey is null");
        this.pool = new LazyPool(SnowflakeConnectorProvider.NAME, this::loggedInPool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    /** A pool whose first login succeeded: with the current key, or with the previous one during a rotation. */
    private JdbcPool loggedInPool() throws SQLException {
        JdbcPool current = buildPool(key);
        try {
            current.getConnection().close();
            LOG.debug("{}: logged in as {} with the key {}", current.poolName(), settings.user(), key.fingerprint());
            return current;
        } catch (SQLException refused) {
            current.close();
            if (previousKey.isEmpty() || !SnowflakeErrors.keyRefused(refused)) {
                throw refused;
            }
            JdbcPool previous = buildPool(previousKey.get());
            try {
                previous.getConnection().close();
            } catch (SQLException alsoRefused) {
                previous.close();
                refused.addSuppressed(alsoRefused);
                throw refused;
            }
            LOG.warn("{}: Snowflake refused the new key {} of user {}, so the previous key {} was used; install the "
                    + "new key with ALTER USER ... SET RSA_PUBLIC_KEY(_2) as 'cdi keygen --snowflake' showed, then "
                    + "remove previousPrivateKey", previous.poolName(), key.fingerprint(), settings.user(),
                    previousKey.get().fingerprint());
            return previous;
        }
    }

    private JdbcPool buildPool(SnowflakeKeyPair login) {
        JdbcPool.Builder builder = JdbcPool.builder(SnowflakeConnectorProvider.NAME,
                        "jdbc:snowflake://" + settings.host() + ":" + settings.port() + "/")
                .driver(new SnowflakeDriver())
                .user(settings.user())
                .property("account", settings.accountName())
                .property("authenticator", "SNOWFLAKE_JWT")
                .secretProperty("private_key_base64", privateKeyBase64(login))
                .property("ssl", settings.ssl() ? "on" : "off")
                .property("disablePlatformDetection", "true")
                .property("CLIENT_TELEMETRY_ENABLED", "false")
                .property("JDBC_QUERY_RESULT_FORMAT", "JSON")
                .property("application", "CDI")
                // By default the driver downloads result chunks ahead on 4 threads into up to 1.5 GB. A read streams in
                // one statement, and the pipeline reads ahead itself: one download thread and 64 MB (the driver counts
                // text sizes; the heap holds about twice that) keep memory bounded whatever the result's size.
                .property("CLIENT_PREFETCH_THREADS", "1")
                .property("CLIENT_MEMORY_LIMIT", "64")
                .property("loginTimeout", Long.toString(ceilSeconds(settings.connectTimeout())))
                .connectionTimeout(settings.connectTimeout());
        settings.role().ifPresent(role -> builder.property("role", role));
        settings.warehouse().ifPresent(warehouse -> builder.property("warehouse", warehouse));
        settings.database().ifPresent(database -> builder.property("db", database));
        settings.schema().ifPresent(schema -> builder.property("schema", schema));
        settings.queryTimeout().ifPresent(timeout -> builder.property("STATEMENT_TIMEOUT_IN_SECONDS",
                Long.toString(ceilSeconds(timeout))));
        return builder.build();
    }

    /**
     * The key as the driver's {@code private_key_base64} takes it: the base64 of a PEM text (unencrypted PKCS#8; it
     * never leaves this process, and the pool marks the property secret).
     */
    private static String privateKeyBase64(SnowflakeKeyPair key) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
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
        return "SnowflakeConnections[" + settings.accountName() + " at " + settings.host() + ":" + settings.port()
                + " as " + settings.user() + "]";
    }
}
