package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy in front of a PostgreSQL server that makes it acceptable to the Amazon Redshift JDBC
 * driver: it answers a TLS (or GSS) request with PostgreSQL's "not supported" byte, rewrites the client's start-up
 * packet without the Redshift-only parameters that PostgreSQL refuses, and from then on copies bytes both ways
 * unchanged. One thread per direction of each connection.
 *
 * <p>Thread-safe. Listens on 127.0.0.1 only.
 */
final class RedshiftStartupProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftStartupProxy.class);

    private static final int SSL_REQUEST = 80_877_103;
    private static final int GSS_ENCRYPTION_REQUEST = 80_877_104;
    private static final int CANCEL_REQUEST = 80_877_102;
    private static final int MAX_STARTUP_PACKET = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket serverSocket;
    private final InetSocketAddress target;
    private final Set<String> removedParameterNames;
    private final Set<String> removedSeen = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    RedshiftStartupProxy(InetSocketAddress target, Set<String> removedParameterNames) {
        this.target = requireNonNull(target, "target is null");
        this.removedParameterNames = Set.copyOf(removedParameterNames);
        try {
            serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on the loopback interface", e);
        }
        acceptor = new Thread(this::acceptLoop, "redshift-proxy-accept-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    long connections() {
        return connections.get();
    }

    Set<String> removedParameters() {
        return new TreeSet<>(removedSeen);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Redshift proxy on port {}: accept failed", port(), e);
                }
                return;
            }
            long number = connections.incrementAndGet();
            sockets.add(client);
            Thread handler = new Thread(() -> handle(client), "redshift-proxy-" + port() + "-" + number);
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void handle(Socket client) {
        Socket server = null;
        try {
            client.setTcpNoDelay(true);
            DataInputStream fromClient = new DataInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                int length = fromClient.readInt();
                if (length < 8 || length > MAX_STARTUP_PACKET) {
                    throw new IOException("not a PostgreSQL start-up packet (length " + length + ")");
                }
                byte[] body = new byte[length - 4];
                fromClient.readFully(body);
                int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
                if (code == SSL_REQUEST || code == GSS_ENCRYPTION_REQUEST) {
                    // PostgreSQL's own answer when it has no TLS: the client then either gives up or goes on in clear.
                    toClient.write('N');
                    toClient.flush();
                    continue;
                }
                server = new Socket();
                sockets.add(server);
                server.setTcpNoDelay(true);
                server.connect(target, CONNECT_TIMEOUT_MILLIS);
                OutputStream toServer = server.getOutputStream();
                toServer.write(code == CANCEL_REQUEST ? packet(body) : rewriteStartup(body));
                toServer.flush();
                break;
            }
            Socket serverSide = server;
            Thread back = new Thread(() -> copy(serverSide, client), Thread.currentThread().getName() + "-back");
            back.setDaemon(true);
            back.start();
            copy(client, serverSide);
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("Redshift proxy on port {}: connection ended", port(), e);
            }
            closeQuietly(client);
            if (server != null) {
                closeQuietly(server);
            }
        }
    }

    /** The start-up packet without the refused parameters: protocol version, then name/value pairs, then 0. */
    private byte[] rewriteStartup(byte[] body) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        int position = 4;
        while (position < body.length && body[position] != 0) {
            int nameEnd = indexOfZero(body, position);
            int valueEnd = indexOfZero(body, nameEnd + 1);
            parameters.put(new String(body, position, nameEnd - position, StandardCharsets.UTF_8),
                    new String(body, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8));
            position = valueEnd + 1;
        }
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(body.length + 4);
        DataOutputStream out = new DataOutputStream(rewritten);
        out.writeInt(0);
        out.write(body, 0, 4);
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (removedParameterNames.contains(parameter.getKey())) {
                removedSeen.add(parameter.getKey());
                continue;
            }
            out.write(parameter.getKey().getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.write(parameter.getValue().getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(0);
        byte[] packet = rewritten.toByteArray();
        int length = packet.length;
        packet[0] = (byte) (length >>> 24);
        packet[1] = (byte) (length >>> 16);
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        return packet;
    }

    private static int indexOfZero(byte[] body, int from) throws IOException {
        for (int i = from; i < body.length; i++) {
            if (body[i] == 0) {
                return i;
            }
        }
        throw new IOException("malformed start-up packet");
    }

    private static byte[] packet(byte[] body) {
        byte[] packet = new byte[body.length + 4];
        int length = packet.length;
        packet[0] = (byte) (length >>> 24);
        packet[1] = (byte) (length >>> 16);
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        System.arraycopy(body, 0, packet, 4, body.length);
        return packet;
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            if (!closed && !(e instanceof SocketException)) {
                LOG.debug("Redshift proxy on port {}: copy ended", port(), e);
            }
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Redshift proxy: closing a socket failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Redshift proxy: closing the listening socket failed", e);
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
