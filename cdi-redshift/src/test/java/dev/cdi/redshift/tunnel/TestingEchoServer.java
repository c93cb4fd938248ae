package dev.cdi.redshift.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on {@code 127.0.0.1} and a free port that sends back every byte it receives; the target of a tunnel
 * in tests. Thread-safe; {@link #close()} stops it.
 */
public final class TestingEchoServer implements AutoCloseable {
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "testing-echo-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger connections = new AtomicInteger();

    private TestingEchoServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    /**
     * Starts an echo server.
     *
     * @return the started server
     */
    public static TestingEchoServer start() {
        try {
            TestingEchoServer server = new TestingEchoServer();
            server.threads.execute(server::acceptLoop);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the echo server", e);
        }
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * How many connections it accepted so far.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    /** Stops accepting; connections in progress end when their peers close. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                threads.execute(() -> echo(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The peer went away; nothing to echo.
        }
    }
}
