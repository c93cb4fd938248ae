package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A local fake Microsoft Fabric warehouse for tests: a TDS server that Microsoft's real SQL Server JDBC driver logs in
 * to with a Microsoft Entra token, and a fake Entra token endpoint that the real {@code azure-identity}
 * {@code ClientSecretCredential} gets that token from. Both listen on 127.0.0.1 with TLS, behind one self-signed
 * certificate generated at start (its subject alternative names are {@code IP:127.0.0.1} and {@code localhost}),
 * written to {@link #certificateFile()} for clients to trust; nothing JVM-wide is changed.
 *
 * <ul>
 *   <li><b>TDS.</b> Either encryption the driver offers, told apart by the first byte: TDS 8 "strict" ({@code
 *       encrypt=strict}: TLS on the raw socket, ALPN {@code tds/8.0}, then TDS inside) or TDS 7 ({@code encrypt=true}:
 *       PRELOGIN in the clear, the TLS 1.2 handshake inside PRELOGIN packets, then TDS inside TLS). Then LOGIN7
 *       with the FEDAUTH feature, either the token inline ({@code accessToken}) or through FEDAUTHINFO and the
 *       driver's access-token callback. The token is checked: one this fake's Entra did not issue, or one that
 *       expired or was {@link #revokeTokens() revoked}, gets error 18456. Then SQL batches and the RPC calls
 *       {@code sp_executesql}, {@code sp_prepexec}, {@code sp_execute} and {@code sp_unprepare}, answered with typed
 *       result sets ({@code bigint}/{@code int}, {@code bit}, {@code float}, {@code decimal}, {@code varchar} and
 *       {@code varchar(max)} (as Fabric's UTF-8 collation), or {@code nvarchar} and {@code nvarchar(max)} when
 *       {@link #setTextAsNvarchar set}, {@code datetime2(n)}, {@code datetimeoffset(n)},
 *       {@code date}), errors with SQL Server's numbers (208, 207, 229, 102, 18456, 4060), and ATTENTION (cancel and
 *       query timeout): the response being written stops at the next row and a DONE with the attention bit follows.
 *       Packets are reassembled from any size the client sends; responses use the negotiated packet size, or a
 *       smaller one set with {@link #setPacketSize}, with tokens straddling packets.</li>
 *   <li><b>Entra.</b> {@code POST /{tenant}/oauth2/v2.0/token} with the client-credentials grant, checking the tenant
 *       (AADSTS90002), the client id (AADSTS700016), the secret (AADSTS7000215) and the scope (AADSTS70011), and
 *       answering an opaque bearer token valid for {@link #setTokenLifetime} (an hour by default).</li>
 *   <li><b>Engine.</b> H2 in {@code MSSQLServer} mode, in a file database in a temporary directory (so a large table
 *       lives on disk, not in the test's heap), with lazy query execution so results stream. H2 rather than DuckDB
 *       with rewriting: H2 already parses T-SQL's {@code [brackets]}, {@code TOP}, three-part names, {@code DATETIME2},
 *       {@code DATETIMEOFFSET}, {@code BIT} and {@code VARCHAR(MAX)}, so the fake rewrites only a handful of functions
 *       ({@code COUNT_BIG}, {@code SYSUTCDATETIME()}) and the {@code OPTION (LABEL = ...)} hint, where DuckDB would need
 *       a T-SQL rewriter. The database is {@link #database()}, tables live in schema {@value #SCHEMA}. What the fake
 *       cannot serve (another TDS message, an unknown procedure, T-SQL the engine refuses) is answered with an error
 *       and listed by {@link #unexpectedRequests()}.</li>
 *   <li><b>Permissions.</b> Every service principal may read every table, except those {@link #denySelect denied} to
 *       it, which get error 229.</li>
 * </ul>
 *
 * <p>Thread-safe: each TDS connection has its own threads and engine session. Close it to stop listening and delete
 * the database.
 */
public final class TestingFabricServer implements AutoCloseable {

    /** The database (warehouse) name. */
    public static final String DEFAULT_DATABASE = "cdi_warehouse";
    /** The schema the tables live in. */
    public static final String SCHEMA = "dbo";
    /** The resource the driver asks a token for (the SPN sent in FEDAUTHINFO). */
    static final String SPN = "https://database.windows.net/";
    /** The scope a token for the SQL endpoint is requested with. */
    public static final String SCOPE = "https://database.windows.net/.default";

    private static final String HOST = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A service principal (an app registration) of the fake tenant: its application (client) id and secret.
     * {@link #toString()} masks the secret. Immutable.
     *
     * @param clientId the application id
     * @param clientSecret the secret
     */
    public record ServicePrincipal(String clientId, String clientSecret) {
        /** Checks the parts. */
        public ServicePrincipal {
            requireNonNull(clientId, "clientId is null");
            requireNonNull(clientSecret, "clientSecret is null");
        }

        @Override
        public String toString() {
            return "ServicePrincipal[clientId=" + clientId + ", clientSecret=****]";
        }
    }

    /**
     * A statement the fake received, as sent, with its query label ({@code OPTION (LABEL = ...)}) and the client id
     * of the principal that sent it. Immutable.
     *
     * @param queryText the statement as the client sent it
     * @param label the label, if the statement carried one
     * @param clientId the sender's application id
     */
    public record QueryHistoryEntry(String queryText, Optional<String> label, String clientId) {
        /** Checks the parts. */
        public QueryHistoryEntry {
            requireNonNull(queryText, "queryText is null");
            requireNonNull(label, "label is null");
            requireNonNull(clientId, "clientId is null");
        }
    }

    private record IssuedToken(String clientId, Instant expiresAt) {
    }

    private final ServerSocket tdsSocket;
    private final SSLContext ssl;
    private final HttpsServer entra;
    private final ExecutorService entraExecutor;
    private final Path directory;
    private final Path certificateFile;
    private final String certificatePem;
    private final String engineUrl;
    private final Connection admin;
    private final String tenantId = UUID.randomUUID().toString();
    private final ServicePrincipal defaultPrincipal;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> denied = new ConcurrentHashMap<>();
    private final Set<FabricTdsSession> sessions = ConcurrentHashMap.newKeySet();
    private final List<QueryHistoryEntry> history = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    final AtomicInteger loginsRefused = new AtomicInteger();
    final AtomicInteger attentionsReceived = new AtomicInteger();
    final AtomicLong rowsServed = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile int packetSize;
    private volatile boolean textAsNvarchar;
    private volatile boolean closed;

    private TestingFabricServer(int port) throws IOException, SQLException {
        directory = Files.createTempDirectory("testing-fabric");
        KeyPair keyPair = rsaKeyPair();
        X509Certificate certificate = selfSignedCertificate(keyPair);
        SSLContext ssl = sslContext(keyPair, certificate);
        try {
            certificatePem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        certificateFile = directory.resolve("testing-fabric-certificate.pem");
        Files.writeString(certificateFile, certificatePem);

        engineUrl = "jdbc:h2:file:" + directory.resolve(DEFAULT_DATABASE).toAbsolutePath()
                + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE"
                + ";LAZY_QUERY_EXECUTION=TRUE;MAX_MEMORY_ROWS=1000;CACHE_SIZE=8192;DB_CLOSE_DELAY=-1";
        try (Connection setup = DriverManager.getConnection(engineUrl, "sa", "");
                Statement statement = setup.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
        admin = openEngineConnection();

        defaultPrincipal = addServicePrincipal();

        this.ssl = ssl;
        tdsSocket = new ServerSocket(port, 50, InetAddress.getByName(HOST));

        entra = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 16);
        entra.setHttpsConfigurator(new HttpsConfigurator(ssl));
        entraExecutor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "testing-fabric-entra");
            thread.setDaemon(true);
            return thread;
        });
        entra.setExecutor(entraExecutor);
        entra.createContext("/", this::entraRequest);
        entra.start();

        Thread acceptor = new Thread(this::acceptConnections, "testing-fabric-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a server on a free port.
     *
     * @return the running server
     */
    public static TestingFabricServer start() {
        return start(0);
    }

    /**
     * Starts a server whose TDS endpoint listens on the given port of 127.0.0.1 (the Entra endpoint always takes a
     * free port).
     *
     * @param port the port, 0 for a free one
     * @return the running server
     * @throws UncheckedIOException when it cannot listen
     */
    public static TestingFabricServer start(int port) {
        try {
            return new TestingFabricServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open the H2 engine", e);
        }
    }

    /**
     * The host both endpoints listen on.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return HOST;
    }

    /**
     * The TDS port.
     *
     * @return the port
     */
    public int port() {
        return tdsSocket.getLocalPort();
    }

    /**
     * The database (warehouse) name to log in to.
     *
     * @return {@value #DEFAULT_DATABASE}
     */
    public String database() {
        return DEFAULT_DATABASE;
    }

    /**
     * The fake tenant's id.
     *
     * @return a UUID
     */
    public String tenantId() {
        return tenantId;
    }

    /**
     * The Entra authority host to give {@code ClientSecretCredentialBuilder.authorityHost}, with instance discovery
     * disabled.
     *
     * @return {@code https://127.0.0.1:PORT/}
     */
    public String authorityHost() {
        return "https://" + HOST + ":" + entra.getAddress().getPort() + "/";
    }

    /**
     * The principal created at start, which may read every table not denied to it.
     *
     * @return the principal
     */
    public ServicePrincipal servicePrincipal() {
        return defaultPrincipal;
    }

    /**
     * Registers another service principal with a random client id and secret.
     *
     * @return the principal
     */
    public ServicePrincipal addServicePrincipal() {
        byte[] secret = new byte[30];
        RANDOM.nextBytes(secret);
        ServicePrincipal principal = new ServicePrincipal(UUID.randomUUID().toString(),
                "fake~" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        secrets.put(principal.clientId(), principal.clientSecret());
        return principal;
    }

    /**
     * The PEM file of the self-signed certificate both endpoints present; give it to the driver
     * ({@code serverCertificate}) and to the credential's HTTP client.
     *
     * @return the file
     */
    public Path certificateFile() {
        return certificateFile;
    }

    /**
     * The certificate's PEM text.
     *
     * @return the PEM
     */
    public String certificatePem() {
        return certificatePem;
    }

    /**
     * A JDBC URL for Microsoft's driver: strict encryption trusting {@link #certificateFile()}, this database. Add
     * the token ({@code accessToken}) or a callback.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return "jdbc:sqlserver://" + HOST + ":" + port() + ";databaseName=" + DEFAULT_DATABASE
                + ";encrypt=strict;serverCertificate=" + certificateFile.toAbsolutePath() + ";loginTimeout=10";
    }

    /**
     * How long the tokens issued from now on are valid (an hour by default); zero or negative issues tokens that are
     * expired already.
     *
     * @param lifetime the lifetime
     */
    public void setTokenLifetime(Duration lifetime) {
        this.tokenLifetime = requireNonNull(lifetime, "lifetime is null");
    }

    /** Makes every token issued so far invalid, as if it had expired: the next login with one gets error 18456. */
    public void revokeTokens() {
        tokens.clear();
    }

    /**
     * Issues a token without the Entra endpoint, for a driver given {@code accessToken} directly.
     *
     * @param principal the principal
     * @return the bearer token
     */
    public String issueToken(ServicePrincipal principal) {
        return newToken(principal.clientId());
    }

    /**
     * Sends responses in packets of this size (512 to 32,767 bytes) on connections made from now on, announced to the
     * client at login; 0 for the size the client asks for.
     *
     * @param bytes the packet size, or 0
     */
    public void setPacketSize(int bytes) {
        if (bytes != 0 && (bytes < 512 || bytes > 32767)) {
            throw new IllegalArgumentException("packet size must be 512 to 32767, was " + bytes);
        }
        this.packetSize = bytes;
    }

    /**
     * Sends text columns as {@code nvarchar} / {@code nvarchar(max)} (UTF-16) instead of Fabric's UTF-8
     * {@code varchar}, as a SQL analytics endpoint or a cast may: the engine does not tell the two apart, so this is
     * a switch for the whole server (off by default).
     *
     * @param nvarchar whether to send text as {@code nvarchar}
     */
    public void setTextAsNvarchar(boolean nvarchar) {
        this.textAsNvarchar = nvarchar;
    }

    /**
     * Refuses a principal reading a table (error 229, as a missing GRANT SELECT).
     *
     * @param clientId the principal's application id
     * @param table the table's name, unquoted
     */
    public void denySelect(String clientId, String table) {
        denied.computeIfAbsent(clientId, key -> ConcurrentHashMap.newKeySet()).add(table);
    }

    /**
     * Runs statements on the engine directly (H2, {@code MSSQLServer} mode), such as {@code CREATE TABLE} and
     * {@code INSERT} to set up a test.
     *
     * @param statements the statements
     */
    public void execute(String... statements) {
        synchronized (admin) {
            try (Statement statement = admin.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("The engine refused: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Inserts rows with bound values into a table.
     *
     * @param table the table, as T-SQL names it (such as {@code [dbo].[users]})
     * @param rows the rows' values, in column order ({@link java.time.LocalDateTime} for {@code datetime2},
     *        {@link java.time.OffsetDateTime} for {@code datetimeoffset}, strings, booleans, numbers, or null)
     */
    public void insert(String table, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES (");
        for (int i = 0; i < rows.get(0).length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        synchronized (admin) {
            try (PreparedStatement statement = admin.prepareStatement(sql.toString())) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        statement.setObject(i + 1, row[i]);
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                throw new IllegalStateException("The engine refused: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Copies every table of a DuckDB file's schema {@code main} into schema {@value #SCHEMA}, names kept, with
     * Fabric's types: {@code TIMESTAMP} as {@code DATETIME2(6)}, {@code TIMESTAMPTZ} as {@code DATETIMEOFFSET(6)},
     * {@code BOOLEAN} as {@code BIT}, integers and doubles as such, anything else (text, JSON, structs) as
     * {@code VARCHAR(MAX)} text. An {@code UPDATED_AT} column gets an index, so reads ordered by it stream.
     *
     * @param duckDbFile the file, opened read-only
     * @return the tables served, as {@code dbo.name}
     * @throws IllegalStateException when the file cannot be read
     */
    public List<String> attach(Path duckDbFile) {
        List<String> served = new ArrayList<>();
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:" + duckDbFile.toAbsolutePath(),
                readOnly());
                Statement statement = duckDb.createStatement()) {
            Map<String, List<String[]>> columnsByTable = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type FROM"
                    + " duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
                    + " ORDER BY table_name, column_index")) {
                while (rows.next()) {
                    columnsByTable.computeIfAbsent(rows.getString(1), key -> new ArrayList<>())
                            .add(new String[] {rows.getString(2), rows.getString(3)});
                }
            }
            for (Map.Entry<String, List<String[]>> entry : columnsByTable.entrySet()) {
                copyTable(duckDb, entry.getKey(), entry.getValue());
                served.add(SCHEMA + "." + entry.getKey());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot attach " + duckDbFile + ": " + e.getMessage(), e);
        }
        return List.copyOf(served);
    }

    private static Properties readOnly() {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        return properties;
    }

    private void copyTable(Connection duckDb, String table, List<String[]> columns) throws SQLException {
        StringBuilder create = new StringBuilder("CREATE TABLE ").append(bracket(SCHEMA)).append('.')
                .append(bracket(table)).append(" (");
        StringBuilder select = new StringBuilder("SELECT ");
        String updatedAt = null;
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i)[0];
            String duckType = columns.get(i)[1].toUpperCase(Locale.ROOT);
            String fabricType;
            String expression = "\"" + name.replace("\"", "\"\"") + "\"";
            if (duckType.equals("TIMESTAMP WITH TIME ZONE")) {
                fabricType = "DATETIMEOFFSET(6)";
            } else if (duckType.startsWith("TIMESTAMP")) {
                fabricType = "DATETIME2(6)";
                expression = "CAST(" + expression + " AS TIMESTAMP)";
            } else if (duckType.equals("BOOLEAN")) {
                fabricType = "BIT";
            } else if (Set.of("BIGINT", "INTEGER", "SMALLINT", "TINYINT").contains(duckType)) {
                fabricType = "BIGINT";
            } else if (duckType.equals("DOUBLE") || duckType.equals("FLOAT")) {
                fabricType = "FLOAT";
            } else if (duckType.equals("DATE")) {
                fabricType = "DATE";
            } else if (duckType.startsWith("STRUCT") || duckType.startsWith("MAP") || duckType.endsWith("[]")) {
                fabricType = "VARCHAR(MAX)";
                expression = "CAST(to_json(" + expression + ") AS VARCHAR)";
            } else {
                fabricType = "VARCHAR(MAX)";
                expression = "CAST(" + expression + " AS VARCHAR)";
            }
            if (name.equalsIgnoreCase("UPDATED_AT")) {
                updatedAt = name;
            }
            create.append(i == 0 ? "" : ", ").append(bracket(name)).append(' ').append(fabricType);
            select.append(i == 0 ? "" : ", ").append(expression);
        }
        create.append(')');
        select.append(" FROM main.\"").append(table.replace("\"", "\"\"")).append('"');
        execute(create.toString());
        if (updatedAt != null) {
            execute("CREATE INDEX " + bracket("ix_" + table + "_updated_at") + " ON " + bracket(SCHEMA) + "."
                    + bracket(table) + " (" + bracket(updatedAt) + ")");
        }
        List<Object[]> batch = new ArrayList<>();
        try (Statement statement = duckDb.createStatement();
                ResultSet rows = statement.executeQuery(select.toString())) {
            while (rows.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    Object value = rows.getObject(i + 1);
                    if (value instanceof java.sql.Timestamp timestamp) {
                        value = timestamp.toLocalDateTime();
                    }
                    row[i] = value;
                }
                batch.add(row);
                if (batch.size() == 1_000) {
                    insert(bracket(SCHEMA) + "." + bracket(table), batch);
                    batch.clear();
                }
            }
        }
        insert(bracket(SCHEMA) + "." + bracket(table), batch);
    }

    /**
     * Quotes a name as T-SQL does, in brackets.
     *
     * @param name the name
     * @return {@code [name]}, with {@code ]} doubled
     */
    public static String bracket(String name) {
        return "[" + name.replace("]", "]]") + "]";
    }

    /**
     * The statements received so far, in order.
     *
     * @return a copy
     */
    public List<QueryHistoryEntry> queryHistory() {
        return List.copyOf(history);
    }

    /**
     * What the fake was asked and could not serve (unknown messages or procedures, T-SQL its engine refused); a test
     * asserts it is empty.
     *
     * @return a copy
     */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpected);
    }

    /**
     * How many token requests the Entra endpoint answered, issued or refused.
     *
     * @return the count
     */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /**
     * How many logins were refused with error 18456.
     *
     * @return the count
     */
    public int loginsRefused() {
        return loginsRefused.get();
    }

    /**
     * How many ATTENTION messages (cancels, query timeouts) arrived.
     *
     * @return the count
     */
    public int attentionsReceived() {
        return attentionsReceived.get();
    }

    /**
     * How many rows were sent to the end of their result (a cancelled result's rows are not counted).
     *
     * @return the count
     */
    public long rowsServed() {
        return rowsServed.get();
    }

    /**
     * How many TDS packets were sent.
     *
     * @return the count
     */
    public long packetsSent() {
        return packetsSent.get();
    }

    /**
     * How many TDS connections are open.
     *
     * @return the count
     */
    public int openSessions() {
        return sessions.size();
    }

    /** Stops listening, closes every connection and deletes the database. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tdsSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        entra.stop(0);
        entraExecutor.shutdownNow();
        for (FabricTdsSession session : List.copyOf(sessions)) {
            session.closeQuietly();
        }
        synchronized (admin) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    @Override
    public String toString() {
        return "TestingFabricServer[" + HOST + ":" + (closed ? "closed" : port()) + ", tenant " + tenantId + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the sessions

    Connection openEngineConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(engineUrl, "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'UTC'");
            statement.execute("SET SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    Optional<String> verifyToken(String token) {
        IssuedToken issued = tokens.get(token);
        if (issued == null || !Instant.now().isBefore(issued.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(issued.clientId());
    }

    boolean textAsNvarchar() {
        return textAsNvarchar;
    }

    int packetSizeOverride() {
        return packetSize;
    }

    Set<String> deniedTables(String clientId) {
        return denied.getOrDefault(clientId, Set.of());
    }

    void record(String sql, Optional<String> label, String clientId) {
        history.add(new QueryHistoryEntry(sql, label, clientId));
    }

    void unexpected(String what) {
        unexpected.add(what);
    }

    void sessionEnded(FabricTdsSession session) {
        sessions.remove(session);
    }

    private void acceptConnections() {
        while (!closed) {
            Socket socket;
            try {
                socket = tdsSocket.accept();
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Thread thread = new Thread(() -> serve(socket), "testing-fabric-session");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Sets up TLS the way the client asks, told apart by its first byte: a TLS record (0x16) is TDS 8 strict
     * encryption, TLS first; a PRELOGIN packet (0x12) is TDS 7 ({@code encrypt=true}): PRELOGIN answered in the clear,
     * then the TLS handshake inside PRELOGIN packets (TLS 1.2: a TLS 1.3 session ticket after the handshake would
     * arrive bare while the client still expects packets), then TDS inside TLS.
     */
    private void serve(Socket raw) {
        try {
            raw.setTcpNoDelay(true);
            InputStream in = raw.getInputStream();
            int first = in.read();
            SSLSocket socket;
            if (first == 0x16) {
                socket = (SSLSocket) ssl.getSocketFactory().createSocket(raw,
                        new ByteArrayInputStream(new byte[] {(byte) first}), true);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"tds/8.0"});
                socket.setSSLParameters(parameters);
                socket.startHandshake();
            } else if (first == FabricTdsSession.PRELOGIN) {
                byte[] header = in.readNBytes(7);
                int length = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
                in.readNBytes(length - 8);
                raw.getOutputStream().write(FabricTdsSession.preLoginResponse());
                raw.getOutputStream().flush();
                FabricPreLoginTlsSocket wrapped = new FabricPreLoginTlsSocket(raw, in);
                socket = (SSLSocket) ssl.getSocketFactory().createSocket(wrapped, HOST, raw.getPort(), true);
                socket.setUseClientMode(false);
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                wrapped.handshakeDone();
            } else {
                if (first >= 0) {
                    unexpected("a connection starting with byte 0x" + Integer.toHexString(first));
                }
                raw.close();
                return;
            }
            FabricTdsSession session = new FabricTdsSession(this, socket);
            sessions.add(session);
            session.run();
        } catch (IOException e) {
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private String newToken(String clientId) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = "fake-entra." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        tokens.put(token, new IssuedToken(clientId, Instant.now().plus(tokenLifetime)));
        return token;
    }

    private void entraRequest(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String[] parts = path.split("/");
            if (!exchange.getRequestMethod().equals("POST") || parts.length != 5 || !parts[2].equals("oauth2")
                    || !parts[3].equals("v2.0") || !parts[4].equals("token")) {
                unexpected("Entra " + exchange.getRequestMethod() + " " + path);
                respond(exchange, 404, "{\"error\":\"not_found\"}");
                return;
            }
            tokenRequests.incrementAndGet();
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String tenant = parts[1];
            String clientId = form.getOrDefault("client_id", "");
            if (!tenant.equals(tenantId)) {
                respond(exchange, 400, aadError("invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to"
                        + " make sure you have the correct tenant ID and are signing into the correct cloud."));
                return;
            }
            String secret = secrets.get(clientId);
            if (secret == null) {
                respond(exchange, 400, aadError("unauthorized_client", 700016, "Application with identifier '"
                        + clientId + "' was not found in the directory '" + tenant + "'."));
                return;
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                unexpected("Entra grant_type " + form.get("grant_type"));
                respond(exchange, 400, aadError("unsupported_grant_type", 70003, "The app requested an unsupported"
                        + " grant type."));
                return;
            }
            if (!secret.equals(form.get("client_secret"))) {
                respond(exchange, 401, aadError("invalid_client", 7000215, "Invalid client secret provided. Ensure"
                        + " the secret being sent in the request is the client secret value, not the client secret ID,"
                        + " for a secret added to app '" + clientId + "'."));
                return;
            }
            String scope = form.getOrDefault("scope", "");
            if (!List.of(scope.split(" ")).contains(SCOPE)) {
                respond(exchange, 400, aadError("invalid_scope", 70011, "The provided request must include a 'scope'"
                        + " input parameter: " + SCOPE));
                return;
            }
            long seconds = Math.max(0, tokenLifetime.toSeconds());
            String token = newToken(clientId);
            respond(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + seconds + ",\"ext_expires_in\":"
                    + seconds + ",\"access_token\":\"" + token + "\"}");
        }
    }

    private static String aadError(String error, int code, String description) {
        String trace = UUID.randomUUID().toString();
        String text = "AADSTS" + code + ": " + description + " Trace ID: " + trace + " Correlation ID: "
                + UUID.randomUUID() + " Timestamp: " + Instant.now();
        return "{\"error\":\"" + error + "\",\"error_description\":\"" + text.replace("\"", "\\\"")
                + "\",\"error_codes\":[" + code + "],\"timestamp\":\"" + Instant.now() + "\",\"trace_id\":\"" + trace
                + "\",\"correlation_id\":\"" + UUID.randomUUID() + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableMap(form);
    }

    // ---------------------------------------------------------------------------------------------------------
    // TLS

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate selfSignedCertificate(KeyPair keyPair) {
        try {
            X500Name name = new X500Name("CN=TestingFabricServer");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, HOST), new GeneralName(GeneralName.dNSName, "localhost")}));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (OperatorCreationException | CertificateException | CertIOException e) {
            throw new IllegalStateException("Cannot create the certificate", e);
        }
    }

    private static SSLContext sslContext(KeyPair keyPair, X509Certificate certificate) {
        try {
            char[] password = "testing".toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", keyPair.getPrivate(), password, new X509Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot set up TLS", e);
        }
    }
}
