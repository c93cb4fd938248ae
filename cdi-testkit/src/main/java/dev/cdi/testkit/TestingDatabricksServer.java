package dev.cdi.testkit;

import static dev.cdi.testkit.FakeHttpExchanges.HOST;
import static dev.cdi.testkit.FakeHttpExchanges.JSON;
import static dev.cdi.testkit.FakeHttpExchanges.NODES;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdi.testkit.DatabricksFakeSql.Column;
import dev.cdi.testkit.DatabricksFakeSql.ColumnType;
import dev.cdi.testkit.DatabricksFakeSql.Query;
import dev.cdi.testkit.DatabricksFakeSql.Select;
import dev.cdi.testkit.DatabricksFakeSql.SetQueryTags;
import dev.cdi.testkit.DatabricksFakeSql.Statement;
import dev.cdi.testkit.DatabricksFakeSql.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.duckdb.DuckDBConnection;

/**
 * A fake Databricks SQL warehouse on 127.0.0.1 that the real Databricks JDBC driver talks to over the SQL
 * Statement Execution API ({@code UseThriftClient=0}), with queries running on an in-memory DuckDB database.
 *
 * <p>What it serves, as Databricks does:
 * <ul>
 *   <li><b>Authentication</b> on every API call: {@code Authorization: Bearer} with a personal access token
 *       ({@link #personalAccessToken()}, {@link #addPersonalAccessToken}) or an OAuth access token that the
 *       machine-to-machine flow got from {@code POST /oidc/v1/token}, which checks the service principal's client id
 *       and secret (HTTP Basic, {@link #addServicePrincipal}). Tokens are signed, carry an expiry and are refused
 *       after it. A wrong token gets HTTP 401.
 *   <li><b>Sessions</b> ({@code POST /api/2.0/sql/warehouses/ID/sessions}, {@code DELETE .../sessions/ID}) with a
 *       default catalog and schema, and the query tags set with {@code SET QUERY_TAGS['key'] = 'value'}.
 *   <li><b>Statements</b> ({@code POST /api/2.0/sql/statements/}) with typed positional parameters, moving through
 *       {@code PENDING} (waiting for the warehouse), {@code RUNNING} and {@code SUCCEEDED} or {@code FAILED}; polled,
 *       cancelled and closed. Results come as Arrow IPC streams in chunks (at most {@link #setRowsPerChunk rows} and about
 *       {@value #MAX_CHUNK_BYTES} bytes each) behind external
 *       links ("Cloud Fetch"), which the driver downloads without the workspace token, as it does from cloud storage.
 *   <li><b>The warehouse's life</b>: {@link #stopWarehouse(Duration)} stops it; the next statement starts it, and
 *       statements stay {@code PENDING} until it has run for the start-up time, as a classic or pro warehouse does
 *       for minutes.
 *   <li><b>Unity Catalog privileges</b>: {@code USE CATALOG}, {@code USE SCHEMA} and {@code SELECT}, all granted
 *       until {@link #revoke} takes one away; a statement without them fails with {@code INSUFFICIENT_PERMISSIONS}.
 *   <li><b>Errors</b> with Databricks' error classes and SQLSTATEs ({@code TABLE_OR_VIEW_NOT_FOUND} 42P01,
 *       {@code UNRESOLVED_COLUMN} 42703, {@code INSUFFICIENT_PERMISSIONS} 42501, {@code PARSE_SYNTAX_ERROR} 42601).
 * </ul>
 *
 * <p>It is strict: SQL it does not understand fails the statement naming what; a request it does not serve gets 404
 * and is listed by {@link #unexpectedRequests()}. Types: {@code STRING}, {@code BIGINT}, {@code INT},
 * {@code BOOLEAN}, {@code DOUBLE}, {@code DATE}, {@code TIMESTAMP} (an instant, stored as DuckDB
 * {@code TIMESTAMPTZ}), {@code TIMESTAMP_NTZ}, and {@code STRUCT}/{@code MAP}/{@code ARRAY}, which results carry
 * only through {@code to_json}. Functions: {@code unix_micros}, {@code to_json}, {@code current_timestamp},
 * {@code COUNT}, {@code SUM}, {@code CAST}.
 *
 * <p>The driver reaches it with {@code jdbc:databricks://127.0.0.1:PORT/default;transportMode=http;ssl=0;AuthMech=3;
 * httpPath=/sql/1.0/warehouses/ID;UseThriftClient=0;EnableTelemetry=0} and the token as password
 * ({@link #jdbcUrl()}). For OAuth machine-to-machine ({@code AuthMech=11;Auth_Flow=1}) the driver builds
 * {@code https://<host>} without the URL's port and scheme unless the JVM has the system property
 * {@code isFakeServiceTest=true}, its own switch for fake services.
 *
 * <p>Thread-safe. {@link #close()} stops the server and deletes its result files.
 */
public final class TestingDatabricksServer implements AutoCloseable {

    /** The warehouse id in the HTTP path. */
    public static final String WAREHOUSE_ID = "cdi0fake0warehouse";
    /** The user a personal access token made by {@link #personalAccessToken()} belongs to. */
    public static final String TOKEN_USER = "cdi-test@example.com";
    /** The catalog a session uses unless it names one. */
    public static final String DEFAULT_CATALOG = "main";
    /** The default rows per result chunk. */
    public static final int DEFAULT_ROWS_PER_CHUNK = 20_000;
    /** A chunk ends at about this many bytes of values even before its rows are complete, as Databricks sizes them. */
    public static final int MAX_CHUNK_BYTES = 8 << 20;

    /** The states of the SQL warehouse. */
    public enum WarehouseState {
        /** Running: statements run at once. */
        RUNNING,
        /** Stopped: the next statement starts it. */
        STOPPED,
        /** Starting: statements wait, {@code PENDING}. */
        STARTING
    }

    /**
     * A statement the warehouse received, as its query history shows it.
     *
     * @param statementId the statement id
     * @param statementText the SQL text
     * @param principal the user or service principal that sent it
     * @param queryTags the session's query tags when it was sent
     * @param parameters the parameters' values as sent
     */
    public record QueryHistoryEntry(String statementId, String statementText, String principal,
            Map<String, String> queryTags, List<String> parameters) {
        /** Copies the parts. */
        public QueryHistoryEntry {
            requireNonNull(statementId, "statementId is null");
            requireNonNull(statementText, "statementText is null");
            requireNonNull(principal, "principal is null");
            queryTags = Map.copyOf(queryTags);
            parameters = List.copyOf(parameters);
        }
    }

    private static final String STATEMENTS_PATH = "/api/2.0/sql/statements";
    private static final String CLOUD_FETCH_PATH = "/cloud-fetch/";
    private static final String TOKEN_PATH = "/oidc/v1/token";
    private static final Duration POLL_STEP = Duration.ofMillis(20);
    private static final Set<String> PRIVILEGES = Set.of("USE CATALOG", "USE SCHEMA", "SELECT");

    private final HttpServer server;
    private final DuckDBConnection duckDb;
    private final Path resultDirectory;
    private final ExecutorService statementExecutor;
    private final SecureRandom random = new SecureRandom();
    private final byte[] signingKey = new byte[32];
    private final Map<String, String> personalAccessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> servicePrincipals = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, StatementRun> statements = new ConcurrentHashMap<>();
    private final Map<String, StatementRun> closedStatements = new ConcurrentHashMap<>();
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final List<QueryHistoryEntry> history = new CopyOnWriteArrayList<>();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tableCounter = new AtomicInteger();
    private final AtomicInteger attachedFiles = new AtomicInteger();
    private final AtomicInteger chunksServed = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger warehouseStarts = new AtomicInteger();
    private final AtomicLong statementCounter = new AtomicLong();
    private final String defaultToken;

    private volatile Clock clock = Clock.systemUTC();
    private volatile int rowsPerChunk = DEFAULT_ROWS_PER_CHUNK;
    private volatile Duration queryDelay = Duration.ZERO;
    private volatile Duration accessTokenLifetime = Duration.ofHours(1);

    // Guarded by this.
    private WarehouseState warehouseState = WarehouseState.RUNNING;
    private Duration startupTime = Duration.ZERO;
    private Instant startingSince = Instant.EPOCH;

    private TestingDatabricksServer(HttpServer server, DuckDBConnection duckDb, Path resultDirectory) {
        this.server = server;
        this.duckDb = duckDb;
        this.resultDirectory = resultDirectory;
        this.statementExecutor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "testing-databricks-statement");
            thread.setDaemon(true);
            return thread;
        });
        random.nextBytes(signingKey);
        defaultToken = "dapi" + randomHex(16);
        personalAccessTokens.put(defaultToken, TOKEN_USER);
        server.createContext("/", this::handle);
    }

    /**
     * Starts a server on a free port of 127.0.0.1.
     *
     * @return the running server
     */
    public static TestingDatabricksServer start() {
        return start(0);
    }

    /**
     * Starts a server on a port of 127.0.0.1.
     *
     * @param port the port, 0 for a free one
     * @return the running server
     */
    public static TestingDatabricksServer start(int port) {
        HttpServer server = FakeHttpExchanges.server(port, "testing-databricks-server");
        try {
            DuckDBConnection duckDb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            TestingDatabricksServer databricks = new TestingDatabricksServer(server, duckDb,
                    Files.createTempDirectory("testing-databricks-results"));
            server.start();
            return databricks;
        } catch (IOException e) {
            FakeHttpExchanges.stop(server);
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            FakeHttpExchanges.stop(server);
            throw new IllegalStateException("Cannot open DuckDB", e);
        }
    }

    /**
     * The host the server listens on.
     *
     * @return always 127.0.0.1
     */
    public String host() {
        return HOST;
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The SQL warehouse's HTTP path, as the workspace's connection details show it.
     *
     * @return {@code /sql/1.0/warehouses/<id>}
     */
    public String httpPath() {
        return "/sql/1.0/warehouses/" + WAREHOUSE_ID;
    }

    /**
     * A JDBC URL for a personal access token (user {@code token}, the token as password): plain HTTP, the SQL
     * Statement Execution API, telemetry off.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return "jdbc:databricks://" + HOST + ":" + port() + "/default;transportMode=http;ssl=0;AuthMech=3;httpPath="
                + httpPath() + ";UseThriftClient=0;EnableTelemetry=0";
    }

    /**
     * A personal access token of {@link #TOKEN_USER} that the server accepts.
     *
     * @return the token
     */
    public String personalAccessToken() {
        return defaultToken;
    }

    /**
     * Accepts another personal access token.
     *
     * @param token the token
     * @param user the user it belongs to
     */
    public void addPersonalAccessToken(String token, String user) {
        personalAccessTokens.put(requireNonNull(token, "token is null"), requireNonNull(user, "user is null"));
    }

    /**
     * Revokes a personal access token: calls with it get HTTP 401 from now on.
     *
     * @param token the token
     */
    public void revokePersonalAccessToken(String token) {
        personalAccessTokens.remove(token);
    }

    /**
     * Adds a service principal that may get OAuth tokens with the client-credentials flow.
     *
     * @param clientId its application (client) id
     * @param secret its OAuth secret
     */
    public void addServicePrincipal(String clientId, String secret) {
        servicePrincipals.put(requireNonNull(clientId, "clientId is null"), requireNonNull(secret, "secret is null"));
    }

    /**
     * How long the OAuth access tokens issued from now on stay valid (default one hour).
     *
     * @param lifetime the lifetime, positive
     */
    public void setAccessTokenLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        this.accessTokenLifetime = lifetime;
    }

    /**
     * How many OAuth access tokens the token endpoint issued.
     *
     * @return the count
     */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    // ---- Tables

    /**
     * Creates a table.
     *
     * @param name {@code catalog.schema.table} (or fewer parts, then in {@code main.default}), case-insensitive
     * @param columns Databricks column definitions, such as {@code UPDATED_AT TIMESTAMP, PAYLOAD STRUCT<a: INT>}
     */
    public void createTable(String name, String columns) {
        List<String> parts = qualified(DatabricksFakeSql.nameParts(name));
        List<Column> parsed = new ArrayList<>();
        for (String definition : DatabricksFakeSql.splitTopLevel(columns)) {
            List<FakeSqlLexer.Token> tokens = FakeSqlLexer.tokenize(definition, DatabricksFakeSql.RULES);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("Empty column definition in " + columns);
            }
            String columnName = tokens.get(0).kind() == FakeSqlLexer.Kind.QUOTED ? tokens.get(0).identifier()
                    : tokens.get(0).text();
            String type = definition.strip().substring(tokens.get(0).text().length());
            parsed.add(new Column(columnName, DatabricksFakeSql.columnType(type)));
        }
        Table table = new Table(parts.get(0), parts.get(1), parts.get(2), "t" + tableCounter.incrementAndGet(), parsed);
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(DatabricksFakeSql.quote(table.duckDbName()))
                .append(" (");
        for (int i = 0; i < parsed.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append(DatabricksFakeSql.quote(parsed.get(i).name())).append(' ')
                    .append(parsed.get(i).type().duckDbType());
        }
        register(table, ddl.append(')').toString());
    }

    /**
     * Serves every table of a DuckDB file (opened read-only) in a catalog: each DuckDB schema becomes a schema of
     * the catalog ({@code main} becomes {@code default}), names become lower case, and types are mapped
     * (TIMESTAMPTZ → TIMESTAMP, TIMESTAMP → TIMESTAMP_NTZ, VARCHAR and JSON → STRING, integers → INT or BIGINT,
     * DOUBLE, BOOLEAN, DATE, STRUCT, MAP, lists → ARRAY). A column of another type fails the call.
     *
     * @param duckDbFile the file
     * @param catalog the catalog to serve its tables in
     * @return the qualified names of the tables now served
     */
    public List<String> attach(Path duckDbFile, String catalog) {
        String catalogName = catalog.toLowerCase(Locale.ROOT);
        String alias = "attached_" + attachedFiles.incrementAndGet();
        List<String> served = new ArrayList<>();
        try (java.sql.Statement statement = duckDb.createStatement()) {
            statement.execute("ATTACH " + literal(duckDbFile.toAbsolutePath().toString()) + " AS " + alias
                    + " (READ_ONLY)");
            for (DuckDbFileTables.Table attached : DuckDbFileTables.list(statement, alias)) {
                String schema = attached.schema().equals("main") ? "default" : attached.schema().toLowerCase(Locale.ROOT);
                List<Column> columns = new ArrayList<>();
                for (DuckDbFileTables.Column column : attached.columns()) {
                    ColumnType type = DatabricksFakeSql.columnTypeForDuckDb(column.duckDbType())
                            .orElseThrow(() -> attached.unsupported(column));
                    columns.add(new Column(column.name(), type));
                }
                Table table = new Table(catalogName, schema, attached.name().toLowerCase(Locale.ROOT),
                        "t" + tableCounter.incrementAndGet(), columns);
                register(table, "CREATE VIEW " + DatabricksFakeSql.quote(table.duckDbName()) + " AS SELECT * FROM "
                        + alias + "." + DatabricksFakeSql.quote(attached.schema()) + "."
                        + DatabricksFakeSql.quote(attached.name()));
                served.add(table.qualifiedName());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot attach " + duckDbFile + ": " + e.getMessage(), e);
        }
        return List.copyOf(served);
    }

    /**
     * Drops a table made with {@link #createTable}, if it exists.
     *
     * @param name the table's name
     */
    public void dropTable(String name) {
        Table removed = tables.remove(String.join(".", qualified(DatabricksFakeSql.nameParts(name))));
        if (removed != null) {
            execute("DROP TABLE IF EXISTS " + DatabricksFakeSql.quote(removed.duckDbName()));
        }
    }

    /**
     * The DuckDB table that holds a table, for {@link #execute}.
     *
     * @param name the table's name
     * @return the DuckDB name, unquoted
     */
    public String duckDbTableName(String name) {
        return table(name).duckDbName();
    }

    /**
     * Runs DuckDB statements on the database behind the server, e.g. to load rows.
     *
     * @param duckDbStatements the statements
     */
    public void execute(String... duckDbStatements) {
        try (java.sql.Statement statement = duckDb.createStatement()) {
            for (String sql : duckDbStatements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB statement failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows into a table; each value is bound as is (a {@code String} is cast by DuckDB to the column's
     * type, so {@code "2024-01-01 00:00:00.123456+00"} works for a TIMESTAMP and JSON-like struct literals do not:
     * use {@link #execute} for those).
     *
     * @param name the table's name
     * @param rows the rows, one value per column
     */
    public void insert(String name, Object[]... rows) {
        Table found = table(name);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(DatabricksFakeSql.quote(found.duckDbName()))
                .append(" VALUES (");
        for (int i = 0; i < found.columns().size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        try (PreparedStatement insert = duckDb.prepareStatement(sql.append(')').toString())) {
            for (Object[] row : rows) {
                if (row.length != found.columns().size()) {
                    throw new IllegalArgumentException("Row has " + row.length + " values, table "
                            + found.qualifiedName() + " has " + found.columns().size() + " columns");
                }
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Insert into " + found.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Revokes a Unity Catalog privilege from a principal; all are granted until revoked.
     *
     * @param principal the user ({@link #TOKEN_USER}) or service principal (its client id)
     * @param privilege {@code USE CATALOG}, {@code USE SCHEMA} or {@code SELECT}
     * @param securable the catalog, {@code catalog.schema} or {@code catalog.schema.table}
     */
    public void revoke(String principal, String privilege, String securable) {
        revoked.add(grantKey(principal, privilege, DatabricksFakeSql.nameParts(securable)));
    }

    /**
     * Grants a privilege revoked by {@link #revoke} again.
     *
     * @param principal the principal
     * @param privilege the privilege
     * @param securable the securable
     */
    public void grant(String principal, String privilege, String securable) {
        revoked.remove(grantKey(principal, privilege, DatabricksFakeSql.nameParts(securable)));
    }

    private static String grantKey(String principal, String privilege, List<String> securable) {
        String upper = privilege.toUpperCase(Locale.ROOT);
        if (!PRIVILEGES.contains(upper)) {
            throw new IllegalArgumentException("The fake knows the privileges " + PRIVILEGES + ", not " + privilege);
        }
        return principal + "\0" + upper + "\0" + String.join("\0", securable);
    }

    // ---- Warehouse and behaviour

    /**
     * Stops the SQL warehouse. The next statement starts it, and statements stay {@code PENDING} until it has been
     * starting for the start-up time.
     *
     * @param startupTime how long starting takes
     */
    public synchronized void stopWarehouse(Duration startupTime) {
        if (startupTime.isNegative()) {
            throw new IllegalArgumentException("startupTime is negative: " + startupTime);
        }
        this.startupTime = startupTime;
        this.warehouseState = WarehouseState.STOPPED;
    }

    /**
     * The warehouse's state now.
     *
     * @return the state
     */
    public synchronized WarehouseState warehouseState() {
        if (warehouseState == WarehouseState.STARTING
                && !clockNow().isBefore(startingSince.plus(startupTime))) {
            warehouseState = WarehouseState.RUNNING;
        }
        return warehouseState;
    }

    /**
     * How many times a statement started the stopped warehouse.
     *
     * @return the count
     */
    public int warehouseStarts() {
        return warehouseStarts.get();
    }

    private synchronized void startWarehouseIfStopped() {
        if (warehouseState == WarehouseState.STOPPED) {
            warehouseState = WarehouseState.STARTING;
            startingSince = clockNow();
            warehouseStarts.incrementAndGet();
        }
    }

    private static Instant clockNow() {
        // Start-up runs on real time even when the warehouse's clock is frozen.
        return Instant.now();
    }

    /**
     * Rows per result chunk (default {@value #DEFAULT_ROWS_PER_CHUNK}).
     *
     * @param rows at least 1
     */
    public void setRowsPerChunk(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        this.rowsPerChunk = rows;
    }

    /**
     * Makes every statement run at least this long ({@code RUNNING} meanwhile), to test polling and cancelling.
     *
     * @param delay the delay, zero for none
     */
    public void setQueryDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
        this.queryDelay = delay;
    }

    /**
     * Freezes the warehouse clock ({@code current_timestamp()}) at an instant.
     *
     * @param instant the instant
     */
    public void freezeTimeAt(Instant instant) {
        this.clock = Clock.fixed(requireNonNull(instant, "instant is null"), ZoneOffset.UTC);
    }

    /** Lets the warehouse clock run again. */
    public void unfreezeTime() {
        this.clock = Clock.systemUTC();
    }

    // ---- Observations

    /**
     * Every statement received, oldest first, like {@code system.query.history}.
     *
     * @return the entries
     */
    public List<QueryHistoryEntry> queryHistory() {
        return List.copyOf(history);
    }

    /**
     * How many result chunks the driver downloaded.
     *
     * @return the count
     */
    public int chunksServed() {
        return chunksServed.get();
    }

    /**
     * Requests the fake does not serve, as {@code METHOD /path}.
     *
     * @return the requests, oldest first
     */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpectedRequests);
    }

    /**
     * Sessions opened and not closed.
     *
     * @return the count
     */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Statements not yet closed by the driver.
     *
     * @return the count
     */
    public int openStatements() {
        return statements.size();
    }

    @Override
    public void close() {
        FakeHttpExchanges.stop(server);
        statementExecutor.shutdownNow();
        try {
            duckDb.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot close DuckDB", e);
        } finally {
            FakeHttpExchanges.deleteRecursively(resultDirectory);
        }
    }

    @Override
    public String toString() {
        return "TestingDatabricksServer[" + HOST + ":" + port() + ", warehouse " + WAREHOUSE_ID + "]";
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/oidc/.well-known/oauth-authorization-server")) {
                FakeHttpExchanges.sendJson(exchange, 200, oidcConfiguration());
                return;
            }
            if (method.equals("GET") && path.equals("/.well-known/databricks-config")) {
                // Asked first by the driver; a workspace without it answers 404, which the driver tolerates.
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (method.equals("POST") && path.equals(TOKEN_PATH)) {
                issueToken(exchange);
                return;
            }
            if (method.equals("GET") && path.startsWith(CLOUD_FETCH_PATH)) {
                serveChunk(exchange, path);
                return;
            }
            String principal;
            try {
                principal = authenticate(exchange);
            } catch (DatabricksFakeError e) {
                sendError(exchange, e);
                return;
            }
            try {
                route(exchange, method, path, principal);
            } catch (DatabricksFakeError e) {
                sendError(exchange, e);
            }
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 so the driver fails visibly rather than waiting.
            exchange.sendResponseHeaders(500, -1);
            throw e;
        }
    }

    private void route(HttpExchange exchange, String method, String path, String principal) throws IOException {
        String sessionsPath = "/api/2.0/sql/warehouses/" + WAREHOUSE_ID + "/sessions";
        if (method.equals("POST") && (path.equals(sessionsPath) || path.equals(sessionsPath + "/"))) {
            FakeHttpExchanges.sendJson(exchange, 200, createSession(FakeHttpExchanges.readJson(exchange), principal));
        } else if (method.equals("DELETE") && path.startsWith("/api/2.0/sql/sessions/")) {
            Session removed = sessions.remove(path.substring("/api/2.0/sql/sessions/".length()));
            if (removed == null) {
                throw DatabricksFakeError.http(404, "NOT_FOUND", "Session not found");
            }
            FakeHttpExchanges.sendJson(exchange, 200, NODES.objectNode());
        } else if (method.equals("POST") && (path.equals(STATEMENTS_PATH) || path.equals(STATEMENTS_PATH + "/"))) {
            FakeHttpExchanges.sendJson(exchange, 200, executeStatement(FakeHttpExchanges.readJson(exchange),
                    principal));
        } else if (path.startsWith(STATEMENTS_PATH + "/")) {
            statementRequest(exchange, method, path.substring(STATEMENTS_PATH.length() + 1).split("/"), principal);
        } else {
            unexpected(exchange);
        }
    }

    private void statementRequest(HttpExchange exchange, String method, String[] parts, String principal)
            throws IOException {
        StatementRun run = statements.get(parts[0]);
        if (run == null || !run.principal.equals(principal)) {
            throw DatabricksFakeError.http(404, "NOT_FOUND", "The statement " + parts[0] + " was not found.");
        }
        if (parts.length == 1 && method.equals("GET")) {
            FakeHttpExchanges.sendJson(exchange, 200, run.answer(this));
        } else if (parts.length == 1 && method.equals("DELETE")) {
            run.cancel(true);
            statements.remove(run.id);
            // As in cloud storage, the result's files stay downloadable until their links expire (here: until the
            // server closes); the driver may fetch a chunk it prefetched after closing the statement.
            closedStatements.put(run.id, run);
            FakeHttpExchanges.sendJson(exchange, 200, NODES.objectNode());
        } else if (parts.length == 2 && parts[1].equals("cancel") && method.equals("POST")) {
            run.cancel(false);
            FakeHttpExchanges.sendJson(exchange, 200, NODES.objectNode());
        } else if (parts.length == 4 && parts[1].equals("result") && parts[2].equals("chunks")
                && method.equals("GET")) {
            StoredResult result = run.result;
            int index = parseIndex(parts[3]);
            if (result == null || index < 0 || index >= result.chunks.size()) {
                throw DatabricksFakeError.http(400, "INVALID_PARAMETER_VALUE", "No chunk " + parts[3]
                        + " in the result of statement " + run.id);
            }
            ObjectNode answer = NODES.objectNode();
            answer.putArray("external_links").add(link(run, result, index));
            FakeHttpExchanges.sendJson(exchange, 200, answer);
        } else {
            unexpected(exchange);
        }
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void unexpected(HttpExchange exchange) throws IOException {
        unexpectedRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        FakeHttpExchanges.sendJson(exchange, 404, error("ENDPOINT_NOT_FOUND", "The fake Databricks SQL warehouse"
                + " (TestingDatabricksServer) does not serve " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getPath()));
    }

    private static void sendError(HttpExchange exchange, DatabricksFakeError e) throws IOException {
        FakeHttpExchanges.sendJson(exchange, e.httpStatus() == 200 ? 400 : e.httpStatus(),
                error(e.errorCode(), e.getMessage()));
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = NODES.objectNode();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    // ---- Authentication

    private ObjectNode oidcConfiguration() {
        String base = "http://" + HOST + ":" + port() + "/oidc";
        ObjectNode body = NODES.objectNode();
        body.put("issuer", base);
        body.put("authorization_endpoint", base + "/v1/authorize");
        body.put("token_endpoint", base + "/v1/token");
        body.putArray("grant_types_supported").add("client_credentials").add("authorization_code")
                .add("refresh_token");
        return body;
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        Map<String, String> form = FakeHttpExchanges.readForm(exchange);
        Optional<String[]> client = basicCredentials(exchange);
        String clientId = client.map(pair -> pair[0]).orElse(form.getOrDefault("client_id", ""));
        String secret = client.map(pair -> pair[1]).orElse(form.getOrDefault("client_secret", ""));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            FakeHttpExchanges.sendJson(exchange, 400, oauthError("unsupported_grant_type",
                    "The fake serves the client_credentials grant only"));
            return;
        }
        String expected = servicePrincipals.get(clientId);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            FakeHttpExchanges.sendJson(exchange, 401, oauthError("invalid_client", "Client authentication failed"));
            return;
        }
        long lifetime = accessTokenLifetime.toSeconds();
        ObjectNode answer = NODES.objectNode();
        Instant expiry = Instant.now().plusSeconds(lifetime);
        // JWT expiries are whole seconds: round up, so a token is never shorter-lived than it says.
        answer.put("access_token", accessToken(clientId, expiry.getNano() == 0 ? expiry
                : Instant.ofEpochSecond(expiry.getEpochSecond() + 1)));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", lifetime);
        answer.put("scope", form.getOrDefault("scope", "all-apis"));
        tokensIssued.incrementAndGet();
        FakeHttpExchanges.sendJson(exchange, 200, answer);
    }

    private static ObjectNode oauthError(String error, String description) {
        ObjectNode body = NODES.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    private static Optional<String[]> basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    /** A signed JWT naming the principal and its expiry, as Databricks' OAuth tokens are. */
    private String accessToken(String subject, Instant expiry) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        ObjectNode claims = NODES.objectNode();
        claims.put("iss", "http://" + HOST + ":" + port() + "/oidc");
        claims.put("sub", subject);
        claims.put("scope", "all-apis");
        claims.put("exp", expiry.getEpochSecond());
        claims.put("iat", Instant.now().getEpochSecond());
        try {
            String unsigned = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + encoder.encodeToString(JSON.writeValueAsBytes(claims));
            return unsigned + "." + encoder.encodeToString(sign(unsigned));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String authenticate(HttpExchange exchange) {
        String token = FakeHttpExchanges.bearerToken(exchange).orElseThrow(() -> DatabricksFakeError.http(401,
                "UNAUTHENTICATED", "Credential was not sent or was of an unsupported type for this API."));
        String user = personalAccessTokens.get(token);
        if (user != null) {
            return user;
        }
        String[] parts = token.split("\\.");
        if (parts.length == 3 && MessageDigest.isEqual(Base64.getUrlDecoder().decode(parts[2]),
                sign(parts[0] + "." + parts[1]))) {
            try {
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                if (Instant.now().isAfter(Instant.ofEpochSecond(claims.path("exp").asLong()))) {
                    throw DatabricksFakeError.http(401, "UNAUTHENTICATED", "Token expired.");
                }
                if (servicePrincipals.containsKey(claims.path("sub").asText())) {
                    return claims.path("sub").asText();
                }
            } catch (IOException e) {
                throw DatabricksFakeError.invalidToken();
            }
        }
        throw DatabricksFakeError.invalidToken();
    }

    // ---- Sessions

    private ObjectNode createSession(JsonNode body, String principal) {
        Session session = new Session(randomUuid(), principal,
                body.path("catalog").asText(DEFAULT_CATALOG).toLowerCase(Locale.ROOT),
                body.path("schema").asText("default").toLowerCase(Locale.ROOT));
        JsonNode tags = body.path("session_confs").path("query_tags");
        if (tags.isTextual()) {
            for (String pair : tags.asText().split(",")) {
                int colon = pair.indexOf(':');
                session.queryTags.put(colon < 0 ? pair.strip() : pair.substring(0, colon).strip(),
                        colon < 0 ? "" : pair.substring(colon + 1).strip());
            }
        }
        sessions.put(session.id, session);
        ObjectNode answer = NODES.objectNode();
        answer.put("session_id", session.id);
        return answer;
    }

    // ---- Statements

    private ObjectNode executeStatement(JsonNode body, String principal) {
        if (!WAREHOUSE_ID.equals(body.path("warehouse_id").asText())) {
            throw DatabricksFakeError.http(404, "RESOURCE_DOES_NOT_EXIST", "No SQL warehouse with id "
                    + body.path("warehouse_id").asText());
        }
        Session session = sessions.get(body.path("session_id").asText());
        if (session == null || !session.principal.equals(principal)) {
            throw DatabricksFakeError.http(404, "NOT_FOUND", "Session " + body.path("session_id").asText()
                    + " not found; it may have been closed.");
        }
        String format = body.path("format").asText("JSON_ARRAY");
        String disposition = body.path("disposition").asText("INLINE");
        if (!format.equals("ARROW_STREAM") || disposition.equals("INLINE")) {
            throw DatabricksFakeError.http(400, "INVALID_PARAMETER_VALUE", "The fake Databricks SQL warehouse"
                    + " serves results as ARROW_STREAM behind external links (Cloud Fetch) only, not " + format + " "
                    + disposition + "; leave EnableQueryResultDownload at its default");
        }
        String sql = body.path("statement").asText();
        List<JsonNode> parameters = new ArrayList<>();
        body.path("parameters").forEach(parameters::add);
        StatementRun run = new StatementRun("01f0" + randomHex(14), session, principal, sql, parameters);
        statements.put(run.id, run);
        history.add(new QueryHistoryEntry(run.id, sql, principal, session.queryTags,
                parameters.stream().map(parameter -> parameter.path("value").asText(null)).toList()));
        startWarehouseIfStopped();
        if (warehouseState() == WarehouseState.RUNNING && queryDelay.isZero()) {
            run.execute(this);
        } else {
            run.task = statementExecutor.submit(() -> run.execute(this));
        }
        return run.answer(this);
    }

    private void awaitWarehouse(StatementRun run) throws InterruptedException {
        while (warehouseState() != WarehouseState.RUNNING) {
            if (run.canceled) {
                return;
            }
            Thread.sleep(POLL_STEP.toMillis());
        }
    }

    private StoredResult run(StatementRun run) throws SQLException, IOException {
        Statement statement = DatabricksFakeSql.parse(run.sql, parts -> resolve(run.session, parts),
                "TIMESTAMPTZ " + literal(clock.instant().toString()));
        if (statement instanceof SetQueryTags tags) {
            run.session.queryTags.putAll(tags.tags());
            return StoredResult.empty();
        }
        Query query = ((Select) statement).query();
        if (query.parameterCount() != run.parameters.size()) {
            throw DatabricksFakeError.statement("UNBOUND_SQL_PARAMETER", "42P02", "Found " + query.parameterCount()
                    + " parameter markers but " + run.parameters.size() + " parameters.");
        }
        try (DuckDBConnection connection = duckDb.duplicate()) {
            try (java.sql.Statement setup = connection.createStatement()) {
                setup.execute("SET TimeZone = 'UTC'");
                setup.execute("SET jdbc_stream_results = true");
            }
            try (PreparedStatement prepared = connection.prepareStatement(query.duckDbSql())) {
                for (int i = 0; i < run.parameters.size(); i++) {
                    bind(prepared, i + 1, run.parameters.get(i));
                }
                try (ResultSet rows = prepared.executeQuery()) {
                    return store(run, query, rows);
                }
            }
        }
    }

    private static void bind(PreparedStatement statement, int index, JsonNode parameter) throws SQLException {
        JsonNode value = parameter.path("value");
        String type = parameter.path("type").asText("STRING").toUpperCase(Locale.ROOT);
        if (value.isMissingNode() || value.isNull() || type.equals("NULL")) {
            statement.setObject(index, null);
            return;
        }
        String text = value.asText();
        try {
            switch (type) {
                case "STRING", "TIMESTAMP", "DATE" -> statement.setString(index, text);
                case "LONG", "INT", "SHORT", "BYTE", "BIGINT", "INTEGER" -> statement.setLong(index, Long.parseLong(text));
                case "BOOLEAN" -> statement.setBoolean(index, Boolean.parseBoolean(text));
                case "DOUBLE", "FLOAT" -> statement.setDouble(index, Double.parseDouble(text));
                default -> throw DatabricksFakeError.notUnderstood("parameters of type " + type);
            }
        } catch (NumberFormatException e) {
            throw DatabricksFakeError.statement("INVALID_PARAMETER_MARKER_VALUE", "22023", "The value of parameter "
                    + index + " is not a " + type + ".");
        }
    }

    private StoredResult store(StatementRun run, Query query, ResultSet rows) throws SQLException, IOException {
        ResultSetMetaData metaData = rows.getMetaData();
        List<ArrowField> fields = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            String name = metaData.getColumnLabel(i);
            String duckDbType = metaData.getColumnTypeName(i);
            ColumnType type = query.selectStar() && query.table().isPresent()
                    ? query.table().get().columns().get(i - 1).type()
                    : DatabricksFakeSql.columnTypeForDuckDb(duckDbType).orElseThrow(() ->
                            DatabricksFakeError.notUnderstood("results of the DuckDB type " + duckDbType));
            types.add(type);
            fields.add(new ArrowField(name, type.arrow().orElse(ArrowColumnType.UTF8)));
        }
        Path directory = Files.createDirectories(resultDirectory.resolve(run.id));
        List<Chunk> chunks = new ArrayList<>();
        List<Object[]> batch = new ArrayList<>();
        long rowOffset = 0;
        long batchBytes = 0;
        int limit = rowsPerChunk;
        while (rows.next()) {
            if (run.canceled) {
                return StoredResult.empty();
            }
            Object[] row = new Object[types.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = value(rows, i + 1, types.get(i), fields.get(i).name());
            }
            batch.add(row);
            batchBytes += approximateBytes(row);
            if (batch.size() == limit || batchBytes >= MAX_CHUNK_BYTES) {
                chunks.add(writeChunk(directory, chunks.size(), rowOffset, fields, batch));
                rowOffset += batch.size();
                batch.clear();
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            chunks.add(writeChunk(directory, chunks.size(), rowOffset, fields, batch));
        }
        return new StoredResult(directory, types, fields, chunks, randomHex(16));
    }

    private static long approximateBytes(Object[] row) {
        long bytes = 0;
        for (Object value : row) {
            bytes += value instanceof String text ? text.length() + 4 : 8;
        }
        return bytes;
    }

    private static Chunk writeChunk(Path directory, int index, long rowOffset, List<ArrowField> fields,
            List<Object[]> rows) throws IOException {
        byte[] bytes = ArrowStreamEncoder.encode(fields, rows);
        Files.write(directory.resolve(Integer.toString(index)), bytes);
        return new Chunk(index, rowOffset, rows.size(), bytes.length);
    }

    private static Object value(ResultSet rows, int column, ColumnType type, String name) throws SQLException {
        if (type.arrow().isEmpty()) {
            rows.getObject(column);
            if (rows.wasNull()) {
                return null;
            }
            throw DatabricksFakeError.notUnderstood("returning " + type.typeName() + " column " + name
                    + " as such; select it through to_json");
        }
        Object value = switch (type.arrow().get()) {
            case UTF8 -> rows.getString(column);
            case INT64 -> rows.getLong(column);
            case INT32 -> rows.getInt(column);
            case FLOAT64 -> rows.getDouble(column);
            case BOOL -> rows.getBoolean(column);
            case DATE_DAYS -> {
                LocalDate date = rows.getObject(column, LocalDate.class);
                yield date == null ? null : (int) date.toEpochDay();
            }
            case TIMESTAMP_MICROS_UTC -> {
                OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
                yield time == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
            }
            case TIMESTAMP_MICROS -> {
                LocalDateTime time = rows.getObject(column, LocalDateTime.class);
                yield time == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant(ZoneOffset.UTC));
            }
        };
        return rows.wasNull() ? null : value;
    }

    private Table resolve(Session session, List<String> parts) {
        List<String> full = switch (parts.size()) {
            case 1 -> List.of(session.catalog, session.schema, parts.get(0));
            case 2 -> List.of(session.catalog, parts.get(0), parts.get(1));
            default -> parts;
        };
        String name = "`" + String.join("`.`", full) + "`";
        if (revoked.contains(grantKey(session.principal, "USE CATALOG", full.subList(0, 1)))) {
            throw DatabricksFakeError.insufficientPermissions("USE CATALOG", "Catalog", full.get(0), session.principal);
        }
        String schema = full.get(0) + "." + full.get(1);
        if (revoked.contains(grantKey(session.principal, "USE SCHEMA", full.subList(0, 2)))) {
            throw DatabricksFakeError.insufficientPermissions("USE SCHEMA", "Schema", schema, session.principal);
        }
        Table table = tables.get(String.join(".", full));
        if (table == null) {
            throw DatabricksFakeError.tableNotFound(name);
        }
        if (revoked.contains(grantKey(session.principal, "SELECT", full))) {
            throw DatabricksFakeError.insufficientPermissions("SELECT", "Table", table.qualifiedName(),
                    session.principal);
        }
        return table;
    }

    private ObjectNode link(StatementRun run, StoredResult result, int index) {
        Chunk chunk = result.chunks.get(index);
        ObjectNode link = NODES.objectNode();
        link.put("chunk_index", chunk.index);
        link.put("row_offset", chunk.rowOffset);
        link.put("row_count", chunk.rowCount);
        link.put("byte_count", chunk.byteCount);
        link.put("external_link", "http://" + HOST + ":" + port() + CLOUD_FETCH_PATH + run.id + "/" + index
                + "?sig=" + result.signature);
        link.put("expiration", Instant.now().plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS).toString());
        if (index + 1 < result.chunks.size()) {
            link.put("next_chunk_index", index + 1);
            link.put("next_chunk_internal_link", STATEMENTS_PATH + "/" + run.id + "/result/chunks/" + (index + 1));
        }
        return link;
    }

    private void serveChunk(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.substring(CLOUD_FETCH_PATH.length()).split("/");
        StatementRun run = parts.length == 2 ? statements.getOrDefault(parts[0], closedStatements.get(parts[0]))
                : null;
        StoredResult result = run == null ? null : run.result;
        int index = parts.length == 2 ? parseIndex(parts[1]) : -1;
        if (result == null || index < 0 || index >= result.chunks.size()) {
            unexpected(exchange);
            return;
        }
        String signature = FakeHttpExchanges.queryParameters(exchange).getOrDefault("sig", "");
        if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                result.signature.getBytes(StandardCharsets.US_ASCII))) {
            exchange.sendResponseHeaders(403, -1);
            return;
        }
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            // Cloud storage refuses a presigned URL that also carries other credentials; the workspace token must
            // never leave for it.
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        Path file = result.directory.resolve(Integer.toString(index));
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
        chunksServed.incrementAndGet();
    }

    // ---- Catalog helpers

    private void register(Table table, String ddl) {
        String key = table.qualifiedName();
        if (tables.putIfAbsent(key, table) != null) {
            throw new IllegalArgumentException("A table named " + key + " exists");
        }
        try {
            execute(ddl);
        } catch (RuntimeException e) {
            tables.remove(key);
            throw e;
        }
    }

    private Table table(String name) {
        Table table = tables.get(String.join(".", qualified(DatabricksFakeSql.nameParts(name))));
        if (table == null) {
            throw new IllegalArgumentException("No table " + name);
        }
        return table;
    }

    private static List<String> qualified(List<String> parts) {
        return switch (parts.size()) {
            case 1 -> List.of(DEFAULT_CATALOG, "default", parts.get(0));
            case 2 -> List.of(DEFAULT_CATALOG, parts.get(0), parts.get(1));
            default -> parts;
        };
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    private String randomUuid() {
        String hex = randomHex(16);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    // ---- State

    private static final class Session {
        final String id;
        final String principal;
        final String catalog;
        final String schema;
        final Map<String, String> queryTags = new ConcurrentHashMap<>();

        Session(String id, String principal, String catalog, String schema) {
            this.id = id;
            this.principal = principal;
            this.catalog = catalog;
            this.schema = schema;
        }
    }

    private record Chunk(int index, long rowOffset, int rowCount, long byteCount) {
    }

    private record StoredResult(Path directory, List<ColumnType> types, List<ArrowField> fields, List<Chunk> chunks,
            String signature) {
        static StoredResult empty() {
            return new StoredResult(Path.of(""), List.of(), List.of(), List.of(), "");
        }

        long rowCount() {
            return chunks.stream().mapToLong(Chunk::rowCount).sum();
        }

        long byteCount() {
            return chunks.stream().mapToLong(Chunk::byteCount).sum();
        }
    }

    /** One statement: its state moves PENDING → RUNNING → SUCCEEDED, FAILED or CANCELED, then CLOSED. */
    private static final class StatementRun {
        final String id;
        final Session session;
        final String principal;
        final String sql;
        final List<JsonNode> parameters;
        volatile String state = "PENDING";
        volatile boolean canceled;
        volatile DatabricksFakeError error;
        volatile StoredResult result;
        volatile java.util.concurrent.Future<?> task;

        StatementRun(String id, Session session, String principal, String sql, List<JsonNode> parameters) {
            this.id = id;
            this.session = session;
            this.principal = principal;
            this.sql = sql;
            this.parameters = List.copyOf(parameters);
        }

        void execute(TestingDatabricksServer server) {
            try {
                server.awaitWarehouse(this);
                if (canceled) {
                    return;
                }
                state = "RUNNING";
                if (!server.queryDelay.isZero()) {
                    Thread.sleep(server.queryDelay.toMillis());
                }
                StoredResult stored = server.run(this);
                if (canceled) {
                    return;
                }
                result = stored;
                state = "SUCCEEDED";
            } catch (DatabricksFakeError e) {
                error = e;
                state = "FAILED";
            } catch (SQLException e) {
                error = DatabricksFakeError.statement("INTERNAL_ERROR", "XX000",
                        "The fake Databricks SQL warehouse's DuckDB failed: " + e.getMessage());
                state = "FAILED";
            } catch (IOException e) {
                error = DatabricksFakeError.statement("INTERNAL_ERROR", "XX000", "Cannot store the result: " + e);
                state = "FAILED";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void cancel(boolean closing) {
            canceled = true;
            if (!state.equals("SUCCEEDED") && !state.equals("FAILED")) {
                state = closing ? "CLOSED" : "CANCELED";
            }
            java.util.concurrent.Future<?> running = task;
            if (running != null) {
                running.cancel(true);
            }
        }

        ObjectNode answer(TestingDatabricksServer server) {
            ObjectNode answer = NODES.objectNode();
            answer.put("statement_id", id);
            ObjectNode status = answer.putObject("status");
            String current = state;
            status.put("state", current);
            if (current.equals("FAILED")) {
                error.sqlState().ifPresent(sqlState -> status.put("sql_state", sqlState));
                ObjectNode failure = status.putObject("error");
                failure.put("error_code", error.errorCode());
                failure.put("message", error.getMessage());
            }
            if (!current.equals("SUCCEEDED")) {
                return answer;
            }
            StoredResult stored = result;
            ObjectNode manifest = answer.putObject("manifest");
            manifest.put("format", "ARROW_STREAM");
            ObjectNode schema = manifest.putObject("schema");
            schema.put("column_count", stored.types().size());
            if (!stored.types().isEmpty()) {
                ArrayNode columns = schema.putArray("columns");
                for (int i = 0; i < stored.types().size(); i++) {
                    ObjectNode column = columns.addObject();
                    column.put("name", stored.fields().get(i).name());
                    column.put("type_text", stored.types().get(i).typeText());
                    column.put("type_name", stored.types().get(i).typeName());
                    column.put("position", i);
                }
            }
            manifest.put("total_chunk_count", stored.chunks().size());
            ArrayNode chunks = manifest.putArray("chunks");
            for (Chunk chunk : stored.chunks()) {
                ObjectNode entry = chunks.addObject();
                entry.put("chunk_index", chunk.index());
                entry.put("row_offset", chunk.rowOffset());
                entry.put("row_count", chunk.rowCount());
                entry.put("byte_count", chunk.byteCount());
            }
            manifest.put("total_row_count", stored.rowCount());
            manifest.put("total_byte_count", stored.byteCount());
            manifest.put("truncated", false);
            manifest.put("result_compression", "NONE");
            ObjectNode resultNode = answer.putObject("result");
            if (!stored.chunks().isEmpty()) {
                resultNode.putArray("external_links").add(server.link(this, stored, 0));
            }
            return answer;
        }
    }
}
