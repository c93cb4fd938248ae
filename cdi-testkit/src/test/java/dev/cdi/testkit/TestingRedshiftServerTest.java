package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in for Redshift, tested with the PostgreSQL driver and raw start-up packets (the Redshift driver is
 * not a dependency of the testkit; cdi-redshift's tests use it).
 */
class TestingRedshiftServerTest {
    private static final int SSL_REQUEST = 80_877_103;
    private static final int PROTOCOL_3_0 = 196_608;
    private static TestingRedshiftServer server;

    @BeforeAll
    static void start() {
        server = TestingRedshiftServer.start();
        server.execute("CREATE TABLE public.users (updated_at timestamptz, external_id varchar, payload varchar)",
                "INSERT INTO public.users VALUES ('2026-01-02 03:04:05.123456+00', 'u1', '{}')");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connectThroughProxy(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port() + "/"
                + server.database(), properties);
    }

    @Test
    void describesItself() {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.database()).isEqualTo("dev");
        assertThat(server.port()).isNotEqualTo(server.postgresPort());
        assertThat(server.jdbcUrl()).isEqualTo("jdbc:redshift://127.0.0.1:" + server.port() + "/dev?ssl=false");
        assertThat(server.toString()).doesNotContain(server.password());
    }

    @Test
    void theTestUserLogsInWithMd5ThroughTheProxyAndReadsWhatTheSetUpCreated() throws SQLException {
        try (Connection connection = connectThroughProxy(server.user(), server.password());
                Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SELECT external_id FROM public.users")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).isEqualTo("u1");
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT current_setting('is_superuser')")) {
                resultSet.next();
                assertThat(resultSet.getString(1)).as("superuser").isEqualTo("off");
            }
        }
        try (Connection connection = server.adminConnection(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT r.rolsuper, a.rolpassword LIKE 'md5%',"
                        + " r.rolconfig::text FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid"
                        + " WHERE r.rolname = '" + server.user() + "'")) {
            resultSet.next();
            assertThat(resultSet.getBoolean(1)).as("superuser").isFalse();
            assertThat(resultSet.getBoolean(2)).as("md5 password").isTrue();
            assertThat(resultSet.getString(3)).containsIgnoringCase("timezone=" + TestingRedshiftServer.SESSION_TIME_ZONE);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connectThroughProxy(server.user(), "wrong")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void aCreatedUserMayConnectButReadsNothing() throws SQLException {
        server.createUser("reader_without_grants", "reader-password");
        try (Connection connection = connectThroughProxy("reader_without_grants", "reader-password");
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM public.users"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> server.createUser("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.createUser("quote", "it's")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAdminConnectionIsASuperuserStraightToPostgres() throws SQLException {
        try (Connection connection = server.adminConnection(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT current_setting('is_superuser'), current_database()")) {
            resultSet.next();
            assertThat(resultSet.getString(1)).isEqualTo("on");
            assertThat(resultSet.getString(2)).isEqualTo("dev");
        }
        assertThatThrownBy(() -> server.execute("SELECT * FROM missing_table")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing_table");
    }

    /** The Redshift driver's start-up packet, which PostgreSQL refuses, is accepted through the proxy. */
    @Test
    void theProxyRemovesRedshiftOnlyStartUpParameters() throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", server.user());
        parameters.put("database", server.database());
        parameters.put("client_encoding", "UTF8");
        parameters.put("driver_version", "Redshift JDBC Driver 2.3.0");
        parameters.put("os_version", "Linux");
        parameters.put("client_protocol_version", "2");
        parameters.put("driver_discovery_version", "1");

        try (Socket direct = new Socket()) {
            direct.connect(new InetSocketAddress(server.host(), server.postgresPort()), 5_000);
            direct.setSoTimeout(5_000);
            direct.getOutputStream().write(startupPacket(parameters));
            assertThat(logIn(direct)).as("PostgreSQL alone refuses it")
                    .startsWith("R0 E").contains("unrecognized configuration parameter");
        }
        try (Socket proxied = new Socket()) {
            proxied.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
            proxied.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(proxied.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST);
            assertThat((char) proxied.getInputStream().read()).as("no TLS").isEqualTo('N');
            out.write(startupPacket(parameters));
            assertThat(logIn(proxied)).as("logged in, ready for queries").isEqualTo("R0 Z");
        }
        assertThat(server.removedStartupParameters()).contains("driver_version", "os_version",
                "client_protocol_version", "driver_discovery_version");
    }

    /** A cancel request opens its own connection, which the proxy passes through unchanged. */
    @Test
    void cancellingAStatementWorksThroughTheProxy() throws Exception {
        try (Connection connection = connectThroughProxy(server.user(), server.password());
                Statement statement = connection.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    // A cancel that arrives before the statement runs cancels nothing.
                    TestingAwait.until("the statement runs", TestingRedshiftServerTest::aSleepIsRunning);
                    statement.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            cancel.get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean aSleepIsRunning() throws SQLException {
        try (Connection connection = server.adminConnection(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE state = 'active' AND query = 'SELECT pg_sleep(30)'")) {
            resultSet.next();
            return resultSet.getInt(1) > 0;
        }
    }

    @Test
    void closingStopsTheProxyAndPostgres() {
        TestingRedshiftServer other = TestingRedshiftServer.start();
        int proxyPort = other.port();
        int postgresPort = other.postgresPort();
        other.close();

        for (int port : new int[] {proxyPort, postgresPort}) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                }
            }).as("port %d", port).isInstanceOf(IOException.class);
        }
    }

    /**
     * Answers the server's md5 password request and returns what comes next up to "ready for query" or an error:
     * {@code R0} for "authentication ok", then {@code Z}, or {@code E} and the error's text.
     */
    private static String logIn(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat((char) in.readByte()).isEqualTo('R');
        assertThat(in.readInt()).isEqualTo(12);
        assertThat(in.readInt()).as("md5 password requested").isEqualTo(5);
        byte[] salt = new byte[4];
        in.readFully(salt);
        String inner = md5Hex((server.password() + server.user()).getBytes(StandardCharsets.UTF_8));
        byte[] innerAndSalt = new byte[inner.length() + 4];
        System.arraycopy(inner.getBytes(StandardCharsets.US_ASCII), 0, innerAndSalt, 0, inner.length());
        System.arraycopy(salt, 0, innerAndSalt, inner.length(), 4);
        byte[] answer = ("md5" + md5Hex(innerAndSalt)).getBytes(StandardCharsets.US_ASCII);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeByte('p');
        out.writeInt(4 + answer.length + 1);
        out.write(answer);
        out.write(0);
        StringBuilder replies = new StringBuilder();
        while (true) {
            char type = (char) in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            switch (type) {
                case 'R':
                    replies.append("R").append((body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3]).append(' ');
                    break;
                case 'E':
                    return replies.append('E').append(new String(body, StandardCharsets.UTF_8)).toString();
                case 'Z':
                    return replies.append('Z').toString();
                default:
                    // Parameter status, backend key, notices: not needed here.
                    break;
            }
        }
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] startupPacket(Map<String, String> parameters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(PROTOCOL_3_0);
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            out.write(parameter.getKey().getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.write(parameter.getValue().getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(0);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        DataOutputStream framed = new DataOutputStream(packet);
        framed.writeInt(body.size() + 4);
        body.writeTo(framed);
        return packet.toByteArray();
    }
}
