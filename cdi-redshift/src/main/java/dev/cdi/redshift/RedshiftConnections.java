package dev.cdi.redshift;

import static java.util.Objects.requireNonNull;

import com.amazon.redshift.Driver;
import dev.cdi.jdbc.ConnectionSource;
import dev.cdi.jdbc.JdbcPool;
import dev.cdi.redshift.internal.TunnelSocketFactory;
import dev.cdi.redshift.tunnel.FileKnownHosts;
import dev.cdi.redshift.tunnel.KnownHosts;
import dev.cdi.redshift.tunnel.SshKeyPair;
import dev.cdi.redshift.tunnel.SshTunnel;
import dev.cdi.redshift.tunnel.SshTunnelSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redshift connector's connections: a {@link JdbcPool} over the Redshift driver, and, when the cluster is
 * reached through a bastion host, the SSH tunnel the pool's connections go through. Both are opened on the first
 * request for a connection (so opening a connector connects to nothing) and closed together by {@link #close()}:
 * the tunnel lives exactly as long as the pool. A tunnel found closed (the bastion restarted, the network broke)
 * is replaced, with a new pool, on the next request.
 *
 * <p>Memory: the driver reads a result ahead into a buffer that by default may grow to 1 GB; here it is a ring
 * buffer of {@value #FETCH_RING_BUFFER_SIZE}, so a read of any size holds about that much.
 *
 * <p>Thread-safe.
 */
final class RedshiftConnections implements ConnectionSource {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftConnections.class);

    /** The bound of the driver's read-ahead buffer (its {@code fetchRingBufferSize}). */
    static final String FETCH_RING_BUFFER_SIZE = "8M";
    static final String APPLICATION_NAME = "cdi";

    private final RedshiftSettings settings;
    private final Optional<SshKeyPair> sshKey;
    private final KnownHosts knownHosts;

    // Guarded by this; null until the first connection is requested and after close.
    private JdbcPool pool;
    private SshTunnel tunnel;
    private boolean closed;

    /**
     * Prepares the connections without connecting.
     *
     * @param settings the validated settings
     * @param sshKey the decrypted SSH key, present exactly when {@code settings} has an SSH tunnel
     */
    RedshiftConnections(RedshiftSettings settings, Optional<SshKeyPair> sshKey) {
        this.settings = requireNonNull(settings, "settings is null");
        this.sshKey = requireNonNull(sshKey, "sshKey is null");
        if (settings.ssh().isPresent() != sshKey.isPresent()) {
            throw new IllegalArgumentException("an SSH key is needed exactly when tunnelling");
        }
        this.knownHosts = settings.ssh().flatMap(RedshiftSettings.Ssh::knownHostsFile)
                .<KnownHosts>map(FileKnownHosts::new)
                .orElseGet(KnownHosts::inMemory);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return currentPool().getConnection();
    }

    private synchronized JdbcPool currentPool() throws SQLException {
        if (closed) {
            throw new SQLException("The Redshift connector is closed", "08003");
        }
        if (pool != null && tunnel != null && !tunnel.isOpen()) {
            LOG.warn("{}: the SSH tunnel through {}:{} closed; opening a new one", pool.poolName(),
                    settings.ssh().orElseThrow().host(), settings.ssh().orElseThrow().port());
            closePoolAndTunnel();
        }
        if (pool == null) {
            Optional<SshTunnel> opened = openTunnel();
            try {
                pool = buildPool(opened);
            } catch (RuntimeException e) {
                opened.ifPresent(SshTunnel::close);
                throw e;
            }
            tunnel = opened.orElse(null);
        }
        return pool;
    }

    private Optional<SshTunnel> openTunnel() {
        Optional<SshTunnelSettings> tunnelSettings = settings.sshTunnelSettings();
        if (tunnelSettings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SshTunnel.open(tunnelSettings.get(), sshKey.orElseThrow(), knownHosts, settings.host(),
                settings.port()));
    }

    private JdbcPool buildPool(Optional<SshTunnel> through) {
        String host = settings.host().indexOf(':') >= 0 && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]" : settings.host();
        String seconds = Long.toString(ceilSeconds(settings.connectTimeout()));
        JdbcPool.Builder builder = JdbcPool.builder(RedshiftConnectorProvider.NAME,
                        "jdbc:redshift://" + host + ":" + settings.port() + "/" + settings.database())
                .driver(new Driver())
                .user(settings.user())
                .password(settings.password())
                .property("ssl", Boolean.toString(settings.ssl()))
                .property("loginTimeout", seconds)
                .property("connectTimeout", seconds)
                .property("tcpKeepAlive", "true")
                .property("ApplicationName", APPLICATION_NAME)
                .property("enableFetchRingBuffer", "true")
                .property("fetchRingBufferSize", FETCH_RING_BUFFER_SIZE)
                .connectionTimeout(settings.connectTimeout())
                .connectionInitSql(initSql());
        if (settings.ssl()) {
            builder.property("sslmode", settings.sslMode().driverValue());
        }
        through.ifPresent(open -> builder
                .property("socketFactory", TunnelSocketFactory.class.getName())
                .property("socketFactoryArg", TunnelSocketFactory.argument(open.localHost(), open.localPort())));
        return builder.build();
    }

    private String initSql() {
        StringBuilder sql = new StringBuilder(RedshiftDialect.SESSION_TIME_ZONE_SQL);
        settings.queryTimeout().ifPresent(timeout -> sql.append("; SET statement_timeout TO ").append(timeout.toMillis()));
        return sql.toString();
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() == 0 ? seconds : seconds + 1;
    }

    /**
     * The SSH tunnel in use, for tests.
     *
     * @return the tunnel, when tunnelling and a connection has been requested since the last close
     */
    synchronized Optional<SshTunnel> tunnel() {
        return Optional.ofNullable(tunnel);
    }

    /**
     * Whether {@link #close()} was called; a closed tunnel is not counted, since the next request replaces it.
     *
     * @return true after {@link #close()}
     */
    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the pool, then the tunnel under it. */
    @Override
    public synchronized void close() {
        closed = true;
        closePoolAndTunnel();
    }

    private void closePoolAndTunnel() {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            pool = null;
            if (tunnel != null) {
                tunnel.close();
                tunnel = null;
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "RedshiftConnections[" + settings.host() + ":" + settings.port() + "/" + settings.database()
                + settings.ssh().map(ssh -> " through " + ssh.host() + ":" + ssh.port()).orElse("") + "]";
    }
}
