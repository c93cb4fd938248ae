package dev.cdi.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code cdi fake-warehouse} running in-process on a thread of its own, its output readable while it runs; stopped by
 * interrupting that thread, as Ctrl-C stops the process. One per test.
 */
final class TestingFakeWarehouse {
    private static final Duration DEADLINE = Duration.ofMinutes(1);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread thread;

    private TestingFakeWarehouse(String... args) {
        CommandLine commandLine = Cdi.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        thread = new Thread(() -> exitCode.complete(commandLine.execute(args)), "fake-warehouse-under-test");
    }

    static TestingFakeWarehouse start(String... args) {
        TestingFakeWarehouse serving = new TestingFakeWarehouse(args);
        serving.thread.start();
        return serving;
    }

    /** Waits until the command says that it serves, and returns what it printed. */
    String awaitServing() throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!out().contains(FakeWarehouseCommand.SERVING_LINE)) {
            if (exitCode.isDone() || Instant.now().isAfter(deadline)) {
                fail("the fake did not start serving: " + out() + err());
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return out();
    }

    /** Interrupts the command's thread, which stops it as Ctrl-C stops the process, and returns its exit code. */
    int stop() throws Exception {
        thread.interrupt();
        return exitCode.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    void stopQuietly() throws InterruptedException {
        thread.interrupt();
        thread.join(DEADLINE.toMillis());
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Whether something accepts connections on the port of 127.0.0.1. */
    static boolean listening(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
