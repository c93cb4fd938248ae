package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * A DuckDB file {@code crm.duckdb} in a directory, with a table {@code users} in the attributes layout (three
     * rows, u1 to u3), made once and closed so that a fake can attach it.
     *
     * @param directory where to make it
     * @param zoned {@code TIMESTAMPTZ} (in UTC) for {@code UPDATED_AT}, else {@code TIMESTAMP} holding UTC
     * @return the file
     * @throws SQLException when DuckDB cannot write it
     */
    static Path usersFile(Path directory, boolean zoned) throws SQLException {
        Path data = directory.resolve("crm.duckdb");
        if (Files.exists(data)) {
            return data;
        }
        String offset = zoned ? "+00" : "";
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + data);
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("CREATE TABLE users (UPDATED_AT " + (zoned ? "TIMESTAMPTZ" : "TIMESTAMP")
                    + ", EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            statement.execute("INSERT INTO users VALUES "
                    + "('2026-01-02 03:04:05.123456" + offset + "', 'u1', '{\"plan\":\"gold\"}'), "
                    + "('2026-01-02 03:04:06" + offset + "', 'u2', '{\"plan\":\"silver\"}'), "
                    + "('2026-01-02 03:04:07" + offset + "', 'u3', '{\"plan\":\"free\"}')");
        }
        return data;
    }

    /**
     * The first group of a pattern's first match in a text, failing the test when there is none.
     *
     * @param pattern the pattern, with one group
     * @param text the text
     * @return the group
     */
    static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }
}
