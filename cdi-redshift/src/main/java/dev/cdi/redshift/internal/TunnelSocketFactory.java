package dev.cdi.redshift.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that connect to the local end of an SSH tunnel whatever address they are asked for. The Redshift driver
 * is given this factory (its {@code socketFactory} property, with the tunnel's {@code host:port} as
 * {@code socketFactoryArg}) and the cluster's real host name in the JDBC URL, so that TLS checks the cluster's
 * certificate against that name ({@code sslmode=verify-full}) while the bytes go through the tunnel.
 *
 * <p>Thread-safe. Not API: public only because the driver instantiates it by class name.
 */
public final class TunnelSocketFactory extends SocketFactory {

    private final InetSocketAddress tunnel;

    /**
     * Creates the factory; called by the driver.
     *
     * @param tunnelAddress the tunnel's local end, {@code host:port}
     * @throws IllegalArgumentException when it is not {@code host:port}
     */
    public TunnelSocketFactory(String tunnelAddress) {
        requireNonNull(tunnelAddress, "tunnelAddress is null");
        int colon = tunnelAddress.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the tunnel address must be host:port, was '" + tunnelAddress + "'");
        }
        int port = Integer.parseInt(tunnelAddress.substring(colon + 1));
        this.tunnel = new InetSocketAddress(tunnelAddress.substring(0, colon), port);
    }

    /**
     * The value of the driver's {@code socketFactoryArg} property for a tunnel's local end.
     *
     * @param host the local host of the tunnel
     * @param port the local port of the tunnel
     * @return {@code host:port}
     */
    public static String argument(String host, int port) {
        return requireNonNull(host, "host is null") + ":" + port;
    }

    @Override
    public Socket createSocket() {
        return new TunnelSocket(tunnel);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        Socket socket = createSocket();
        socket.connect(tunnel);
        return socket;
    }

    @Override
    public String toString() {
        return "TunnelSocketFactory[" + tunnel + "]";
    }

    /** A socket whose every connect goes to the tunnel. */
    private static final class TunnelSocket extends Socket {
        private final InetSocketAddress tunnel;

        TunnelSocket(InetSocketAddress tunnel) {
            this.tunnel = tunnel;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            // The driver asks for the cluster's own address; only the bastion can reach it.
            super.connect(tunnel, timeout);
        }
    }
}
