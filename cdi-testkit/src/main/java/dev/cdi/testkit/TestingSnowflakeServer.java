package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdi.testkit.SnowflakeFakeSql.Column;
import dev.cdi.testkit.SnowflakeFakeSql.ColumnType;
import dev.cdi.testkit.SnowflakeFakeSql.Table;
import dev.cdi.testkit.SnowflakeFakeSql.Translation;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.duckdb.DuckDBConnection;

/**
 * Stands in for a Snowflake account in tests: an HTTP server on 127.0.0.1 that the real Snowflake JDBC driver
 * ({@code net.snowflake:snowflake-jdbc}) logs in to with key-pair authentication and queries, the SQL running on
 * an embedded DuckDB.
 *
 * <pre>{@code
 * try (TestingSnowflakeServer snowflake = TestingSnowflakeServer.start()) {
 *     snowflake.addUser("CDI", keyPair.getPublic());
 *     snowflake.createTable("DB.PUBLIC.USERS", "UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARIANT");
 *     snowflake.execute("INSERT INTO \"DB.PUBLIC.USERS\" VALUES ('2024-01-01 00:00:00.123456789', 'a', '{}')");
 *     Properties properties = new Properties();
 *     properties.put("user", "CDI");
 *     properties.put("privateKey", keyPair.getPrivate());
 *     Connection connection = DriverManager.getConnection(snowflake.jdbcUrl(), properties);
 * }
 * }</pre>
 *
 * <h2>What the driver does, read from its source (snowflake-jdbc 4.x)</h2>
 * <ul>
 *   <li><b>Key.</b> Connection properties {@code privateKey} (a {@link java.security.PrivateKey} object in the
 *       {@code Properties}; it must be an {@code RSAPrivateCrtKey}), or {@code private_key_file} (a PEM or DER
 *       file, {@code private_key_pwd} if encrypted), or {@code private_key_base64}; only one of them. With a key and
 *       no {@code authenticator} the driver uses {@code SNOWFLAKE_JWT}.</li>
 *   <li><b>Login.</b> {@code POST /session/v1/login-request?databaseName=&schemaName=&warehouse=&roleName=&requestId=},
 *       body (gzip or not) {@code {"data":{"LOGIN_NAME","AUTHENTICATOR":"SNOWFLAKE_JWT","TOKEN":<jwt>,
 *       "CLIENT_ENVIRONMENT":{...},"SESSION_PARAMETERS":{...}}}}. The JWT is RS256 with
 *       {@code iss = ACCOUNT.USER.SHA256:<base64 SHA-256 of the public key's DER>}, {@code sub = ACCOUNT.USER}
 *       (account without region, both upper case), {@code iat} now and {@code exp} 60 seconds later. The answer's
 *       {@code data.parameters} must contain {@code AUTOCOMMIT}. A refusal is {@code success:false} with
 *       {@code code}; the driver throws {@code SnowflakeSQLException} with that code as vendor code and SQLState
 *       08001. The driver's own tests expect 390144 for a wrong key: this server answers 390144
 *       "JWT token is invalid." for a wrong key, an unknown user, bad claims and an expired token, and 390100 for
 *       a password login (not supported here).</li>
 *   <li><b>Platform detection.</b> Unless {@code disablePlatformDetection=true}, the driver probes cloud metadata
 *       addresses before login and reports what it found as {@code CLIENT_ENVIRONMENT.PLATFORM} in the login body;
 *       with the switch, 4.4.1 sends {@code PLATFORM: ["disabled"]}. This server refuses a login whose
 *       {@code PLATFORM} is anything else: it means that the driver probed, so traffic left 127.0.0.1.
 *       {@link #jdbcUrl()} always sets the switch.</li>
 *   <li><b>Queries.</b> {@code POST /queries/v1/query-request?requestId=} with header
 *       {@code Authorization: Snowflake Token="..."}, body {@code {"sqlText","bindings":{"1":{"type":"TEXT",
 *       "value":"..."}},"describeOnly",...}}, gzip-compressed. The answer's {@code data} holds {@code rowtype}
 *       (name, type, precision, scale, length, byteLength, nullable), {@code rowset} (the first rows, every value a
 *       JSON string or null), {@code total}, {@code returned}, {@code queryId}, {@code statementTypeId},
 *       {@code queryResultFormat:"json"}, {@code version:1} and, for larger results, {@code chunks}
 *       ({@code url}, {@code rowCount}, {@code uncompressedSize}, {@code compressedSize}) with
 *       {@code chunkHeaders} (or {@code qrmk}). Errors: {@code success:false}, {@code code},
 *       {@code message}, {@code data.sqlState}, {@code data.errorCode}, {@code data.queryId}.</li>
 *   <li><b>Chunks.</b> The driver downloads each chunk URL with a plain {@code GET} carrying the
 *       {@code chunkHeaders}; the body is rows {@code ["v1","v2"],["v1",null]} without enclosing brackets,
 *       gzip-compressed (the driver recognises the gzip magic bytes, as S3 serves them, or honours
 *       {@code Content-Encoding}). This server writes each chunk, gzip-compressed, to a temporary file as DuckDB
 *       streams the result, so it holds at most one chunk of rows in memory; a chunk is served only with the
 *       random per-query key in the {@code x-amz-server-side-encryption-customer-key} header.</li>
 *   <li><b>Value encodings</b> (JSON result format): FIXED as the decimal text; BOOLEAN as {@code "1"} /
 *       {@code "0"}; TEXT, VARIANT, OBJECT as text; TIMESTAMP_NTZ and TIMESTAMP_LTZ as seconds since the epoch
 *       with the column's scale of fraction digits ({@code "1704067200.123456789"}); TIMESTAMP_TZ as that, a space
 *       and the offset in minutes plus 1440 ({@code "1704067200.123456000 1440"} for UTC, with result version 1);
 *       DATE as days since the epoch.</li>
 *   <li><b>Type names.</b> {@code ResultSetMetaData.getColumnTypeName} reports {@code TIMESTAMPNTZ},
 *       {@code TIMESTAMPLTZ}, {@code TIMESTAMPTZ} (no underscore), {@code VARIANT}, {@code OBJECT},
 *       {@code VARCHAR} (for {@code text}), {@code NUMBER} (for {@code fixed}), {@code BOOLEAN}, {@code DATE},
 *       {@code DOUBLE} (for {@code real}). {@code getColumnType}: {@code Types.TIMESTAMP} (93) for TIMESTAMP_NTZ
 *       and for TIMESTAMP_LTZ, 2014 ({@code Types.TIMESTAMP_WITH_TIMEZONE}, the driver's
 *       {@code EXTRA_TYPES_TIMESTAMP_TZ}) for TIMESTAMP_TZ, {@code Types.VARCHAR} for VARIANT and OBJECT,
 *       {@code Types.DECIMAL} for NUMBER(p,s), {@code Types.BOOLEAN}. {@code getPrecision} is 27 and
 *       {@code getScale} 9 for a timestamp with scale 9 (the driver computes the precision).</li>
 *   <li><b>Other calls.</b> {@code Connection.isValid} posts {@code /session/heartbeat}; {@code close()} posts
 *       {@code /session?delete=true}; {@code Statement.cancel()} posts {@code /queries/v1/abort-request} with the
 *       query's {@code requestId}, and the running query then fails with 000604 (SQLState 57014).</li>
 * </ul>
 *
 * <h2>The account</h2>
 * Account {@value #ACCOUNT}. Users are registered with {@link #addUser} and up to two RSA public keys
 * ({@link #setPublicKey}), like Snowflake's {@code RSA_PUBLIC_KEY} and {@code RSA_PUBLIC_KEY_2}; the login checks
 * the JWT's RS256 signature against the key whose fingerprint the {@code iss} names, the claims and the expiry
 * (against the real clock, not {@link #freezeTimeAt}). Warehouse {@value #DEFAULT_WAREHOUSE} exists and runs; more
 * with {@link #addWarehouse}. A query that reads a table needs a warehouse the session's role may use, or fails
 * with 000606 (SQLState 57P03); a suspended warehouse resumes after {@link #setAutoResumeDelay} (default 200 ms).
 * A query without a table ({@code SELECT DATE_PART(EPOCH_NANOSECOND, SYSDATE())}) needs none, as in Snowflake.
 *
 * <p><b>Grants: everything is granted by default</b>; {@link #revokeSelect} and {@link #revokeWarehouseUsage}
 * take a privilege from a role ({@link #grantSelect}, {@link #grantWarehouseUsage} give it back). A table the role
 * may not read is "Object '...' does not exist or not authorized." (002003, SQLState 42S02), as a missing one is.
 * Any role name is accepted at login (the session's role is the URL's {@code role}, else the user's default, else
 * {@code PUBLIC}).
 *
 * <h2>Tables and SQL</h2>
 * {@link #createTable} takes Snowflake column types and keeps them for the result metadata; DuckDB stores
 * TIMESTAMP_NTZ as {@code TIMESTAMP_NS}, TIMESTAMP_LTZ and TIMESTAMP_TZ as {@code TIMESTAMPTZ} (so microseconds,
 * and TIMESTAMP_TZ values come back with offset +00:00: the original offset is not kept), VARIANT/OBJECT/ARRAY as
 * {@code JSON}, VARCHAR as {@code VARCHAR}, NUMBER(p,s) as {@code DECIMAL(p,s)}. The DuckDB table of
 * {@code DB.SCHEMA.TABLE} is {@code main."DB.SCHEMA.TABLE"} ({@link #duckDbTableName}); load rows with
 * {@link #execute} or {@link #insert}. {@link #attach} serves the tables of an existing DuckDB file. Names follow
 * Snowflake: unquoted parts resolve upper case, quoted parts keep their case; two names differing only in case are
 * refused because DuckDB ignores case.
 *
 * <p>Accepted statements: one {@code SELECT} from at most one table with {@code WHERE}, {@code ORDER BY},
 * {@code LIMIT}; comparisons, {@code AND}/{@code OR}/{@code NOT}, {@code IS [NOT] NULL}, {@code CASE},
 * {@code SUM}, {@code COUNT}, {@code CAST(? AS TIMESTAMP_NTZ(9) | TIMESTAMP_TZ(9) | TIMESTAMP_LTZ(9) | VARCHAR)},
 * {@code DATE_PART(EPOCH_NANOSECOND, x)}, {@code TO_JSON(x)}, {@code SYSDATE()} (UTC, see {@link #freezeTimeAt});
 * and {@code ALTER SESSION SET QUERY_TAG = '...'} / {@code UNSET QUERY_TAG}. Anything else fails loudly with
 * 001003 (SQLState 42000) naming what the fake does not understand; an unknown quoted column fails with 000904.
 * Binds of type TEXT, FIXED, REAL and BOOLEAN are accepted. Every query is listed in {@link #queryHistory()}.
 *
 * <p>The session parameter {@code TIMEZONE} is {@code America/Los_Angeles}, Snowflake's default, so that a test
 * shows that nothing depends on it.
 *
 * <p>Thread-safe: the driver may use several connections and threads at once. {@link #start()} takes well under a
 * second; {@link #close()} stops the server and deletes its data and chunk files.
 */
public final class TestingSnowflakeServer implements AutoCloseable {

    /** The account name the server answers to. */
    public static final String ACCOUNT = "CDITEST";
    /** The warehouse that exists from the start, running. */
    public static final String DEFAULT_WAREHOUSE = "COMPUTE_WH";
    /** Rows inline in the query answer and per downloadable chunk, unless {@link #setRowsPerChunk} says else. */
    public static final int DEFAULT_ROWS_PER_CHUNK = 10_000;
    /**
     * The most characters of values in the rows answered inline and in one chunk, whatever the row count: Snowflake
     * too answers only a small first part inline and cuts the rest into chunks of a few megabytes.
     */
    public static final long MAX_CHUNK_CHARS = 4L << 20;
    /** The session time zone the server reports, Snowflake's default. */
    public static final String SESSION_TIME_ZONE = "America/Los_Angeles";

    /** The state of a warehouse. */
    public enum WarehouseState {
        /** Runs queries at once. */
        RUNNING,
        /** Resumes (after the auto-resume delay) when a query needs it. */
        SUSPENDED
    }

    /**
     * One query as Snowflake's {@code QUERY_HISTORY} would list it.
     *
     * @param queryId the query id the driver saw
     * @param queryText the SQL text as sent
     * @param queryTag the session's query tag when the query ran, empty string when none
     * @param userName the session's user
     * @param roleName the session's role
     * @param warehouseName the session's warehouse, empty string when none
     * @param executionStatus {@code SUCCESS} or {@code FAIL}
     * @param errorCode the Snowflake error code when it failed, empty string otherwise
     */
    public record QueryHistoryEntry(String queryId, String queryText, String queryTag, String userName,
            String roleName, String warehouseName, String executionStatus, String errorCode) {
        public QueryHistoryEntry {
            requireNonNull(queryId, "queryId is null");
            requireNonNull(queryText, "queryText is null");
            requireNonNull(queryTag, "queryTag is null");
            requireNonNull(userName, "userName is null");
            requireNonNull(roleName, "roleName is null");
            requireNonNull(warehouseName, "warehouseName is null");
            requireNonNull(executionStatus, "executionStatus is null");
            requireNonNull(errorCode, "errorCode is null");
        }
    }

    private static final Pattern TIMESTAMP_TEXT = Pattern.compile("(\\d{4,5})-\\d\\d-\\d\\d[ T]\\d\\d:");
    private static final String HOST = "127.0.0.1";
    private static final String CHUNK_KEY_HEADER = "x-amz-server-side-encryption-customer-key";
    private static final Pattern AUTHORIZATION = Pattern.compile("Snowflake Token=\"([^\"]+)\"");
    private static final Pattern SET_QUERY_TAG = Pattern.compile(
            "(?is)\\s*ALTER\\s+SESSION\\s+SET\\s+QUERY_TAG\\s*=\\s*'((?:[^'\\\\]|'')*)'\\s*;?\\s*");
    private static final Pattern UNSET_QUERY_TAG = Pattern.compile(
            "(?is)\\s*ALTER\\s+SESSION\\s+UNSET\\s+QUERY_TAG\\s*;?\\s*");
    private static final int SELECT_STATEMENT = 0x1000;
    private static final int ALTER_SESSION_STATEMENT = 0x4100;
    private static final Duration JWT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final HttpServer server;
    private final DuckDBConnection duckDb;
    private final Path chunkDirectory;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Warehouse> warehouses = new ConcurrentHashMap<>();
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Set<String> revokedSelect = ConcurrentHashMap.newKeySet();
    private final Set<String> revokedUsage = ConcurrentHashMap.newKeySet();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, RunningQuery> runningQueries = new ConcurrentHashMap<>();
    private final Map<String, StoredResult> results = new ConcurrentHashMap<>();
    private final List<QueryHistoryEntry> history = new CopyOnWriteArrayList<>();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger chunksServed = new AtomicInteger();
    private final AtomicInteger warehouseResumes = new AtomicInteger();
    private final AtomicInteger attachedFiles = new AtomicInteger();
    private final AtomicLong nextSessionId = new AtomicLong(1_000_001);
    private volatile Duration autoResumeDelay = Duration.ofMillis(200);
    private volatile int rowsPerChunk = DEFAULT_ROWS_PER_CHUNK;
    private volatile Clock clock = Clock.systemUTC();

    private TestingSnowflakeServer(HttpServer server, DuckDBConnection duckDb,
            Path chunkDirectory) {
        this.server = server;
        this.duckDb = duckDb;
        this.chunkDirectory = chunkDirectory;
        warehouses.put(DEFAULT_WAREHOUSE, new Warehouse(WarehouseState.RUNNING));
        server.createContext("/", this::handle);
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static TestingSnowflakeServer start() {
        return start(0);
    }

    /** Starts a server on the given port of 127.0.0.1, 0 for a free one. */
    public static TestingSnowflakeServer start(int port) {
        try {
            HttpServer server = FakeHttpExchanges.server(port, "testing-snowflake-server");
            DuckDBConnection duckDb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            Path chunkDirectory = Files.createTempDirectory("testing-snowflake-chunks");
            TestingSnowflakeServer snowflake = new TestingSnowflakeServer(server, duckDb, chunkDirectory);
            server.start();
            return snowflake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open DuckDB", e);
        }
    }

    /** The account name, {@value #ACCOUNT}. */
    public String account() {
        return ACCOUNT;
    }

    /** The host the server listens on, always 127.0.0.1. */
    public String host() {
        return HOST;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The JDBC URL: plain HTTP, this account, platform detection (cloud metadata probes) and client telemetry off,
     * JSON results. Pass {@code user} and {@code privateKey} as properties.
     */
    public String jdbcUrl() {
        return "jdbc:snowflake://" + HOST + ":" + port() + "/?ssl=off&account=" + ACCOUNT
                + "&disablePlatformDetection=true&CLIENT_TELEMETRY_ENABLED=false&JDBC_QUERY_RESULT_FORMAT=JSON";
    }

    /** {@link #jdbcUrl()} with a database, schema, warehouse and role for the session. */
    public String jdbcUrl(String database, String schema, String warehouse, String role) {
        return jdbcUrl() + "&db=" + encode(database) + "&schema=" + encode(schema) + "&warehouse="
                + encode(warehouse) + "&role=" + encode(role);
    }

    /** The fingerprint Snowflake shows for a public key ({@code RSA_PUBLIC_KEY_FP}): {@code SHA256:<base64>}. */
    public static String fingerprint(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return "SHA256:" + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers a user (name resolved like an unquoted identifier, upper case) with its first public key. */
    public void addUser(String name, PublicKey rsaPublicKey1) {
        requireNonNull(rsaPublicKey1, "rsaPublicKey1 is null");
        User user = new User(userKey(name));
        user.keys[0] = checkRsa(rsaPublicKey1);
        if (users.putIfAbsent(user.name, user) != null) {
            throw new IllegalArgumentException("User exists: " + user.name);
        }
    }

    /** Sets ({@code ALTER USER ... SET RSA_PUBLIC_KEY[_2]}) or, with an empty key, unsets a key slot, 1 or 2. */
    public void setPublicKey(String user, int slot, Optional<PublicKey> rsaPublicKey) {
        requireNonNull(rsaPublicKey, "rsaPublicKey is null");
        if (slot != 1 && slot != 2) {
            throw new IllegalArgumentException("slot must be 1 or 2: " + slot);
        }
        User found = user(user);
        synchronized (found) {
            found.keys[slot - 1] = rsaPublicKey.map(TestingSnowflakeServer::checkRsa).orElse(null);
        }
    }

    /** Sets a user's default role, warehouse, database and schema (names as Snowflake would store them). */
    public void setUserDefaults(String user, String role, String warehouse, String database, String schema) {
        User found = user(user);
        synchronized (found) {
            found.defaultRole = requireNonNull(role, "role is null");
            found.defaultWarehouse = requireNonNull(warehouse, "warehouse is null");
            found.defaultDatabase = requireNonNull(database, "database is null");
            found.defaultSchema = requireNonNull(schema, "schema is null");
        }
    }

    /** Registers a warehouse, or changes the state of an existing one. */
    public void addWarehouse(String name, WarehouseState state) {
        requireNonNull(state, "state is null");
        warehouses.computeIfAbsent(objectKey(name), key -> new Warehouse(state)).state = state;
    }

    /** The state of a warehouse. */
    public WarehouseState warehouseState(String name) {
        Warehouse warehouse = warehouses.get(objectKey(name));
        if (warehouse == null) {
            throw new IllegalArgumentException("No warehouse " + name);
        }
        return warehouse.state;
    }

    /** How long a suspended warehouse takes to resume when a query needs it (default 200 ms). */
    public void setAutoResumeDelay(Duration delay) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative");
        }
        this.autoResumeDelay = delay;
    }

    /** How many times a suspended warehouse resumed for a query. */
    public int warehouseResumes() {
        return warehouseResumes.get();
    }

    /** Takes USAGE on a warehouse from a role. */
    public void revokeWarehouseUsage(String role, String warehouse) {
        revokedUsage.add(objectKey(role) + "\0" + objectKey(warehouse));
    }

    /** Gives back USAGE on a warehouse to a role. */
    public void grantWarehouseUsage(String role, String warehouse) {
        revokedUsage.remove(objectKey(role) + "\0" + objectKey(warehouse));
    }

    /** Takes SELECT on a table ({@code DB.SCHEMA.TABLE}) from a role. */
    public void revokeSelect(String role, String table) {
        revokedSelect.add(objectKey(role) + "\0" + table(table).qualifiedName());
    }

    /** Gives back SELECT on a table to a role. */
    public void grantSelect(String role, String table) {
        revokedSelect.remove(objectKey(role) + "\0" + table(table).qualifiedName());
    }

    /**
     * Creates a table.
     *
     * @param name {@code DB.SCHEMA.TABLE}, parts quoted or not (Snowflake case rules)
     * @param columns Snowflake column definitions, e.g. {@code UPDATED_AT TIMESTAMP_NTZ(9), "payload" VARIANT}
     */
    public void createTable(String name, String columns) {
        List<String> parts = qualifiedParts(name);
        List<Column> parsed = new ArrayList<>();
        for (String definition : splitTopLevel(columns)) {
            List<FakeSqlLexer.Token> tokens = SnowflakeFakeSql.tokenize(definition);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("Empty column definition in " + columns);
            }
            String columnName = tokens.get(0).identifier();
            String type = definition.strip().substring(tokens.get(0).text().length());
            parsed.add(new Column(columnName, SnowflakeFakeSql.columnType(type)));
        }
        Table table = new Table(parts.get(0), parts.get(1), parts.get(2), parts.get(0) + "." + parts.get(1) + "."
                + parts.get(2), parsed);
        StringBuilder ddl = new StringBuilder("CREATE TABLE main.").append(SnowflakeFakeSql.quote(table.duckDbName()))
                .append(" (");
        for (int i = 0; i < parsed.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append(SnowflakeFakeSql.quote(parsed.get(i).name())).append(' ')
                    .append(parsed.get(i).type().duckDbType());
        }
        register(table, ddl.append(')').toString());
    }

    /**
     * Serves every table of a DuckDB file (opened read-only) as tables of a Snowflake database: DuckDB schema
     * {@code main} becomes {@code PUBLIC}, names become upper case (as unquoted Snowflake names are), types are
     * mapped (TIMESTAMP → TIMESTAMP_NTZ(9), TIMESTAMPTZ → TIMESTAMP_LTZ(9), JSON → VARIANT, STRUCT/MAP → OBJECT,
     * integers → NUMBER(38,0), DECIMAL → NUMBER, DOUBLE → FLOAT, VARCHAR, BOOLEAN, DATE). A column of another type
     * fails the call.
     *
     * @return the qualified names of the tables now served
     */
    public List<String> attach(Path duckDbFile, String database) {
        String databaseName = objectKey(database);
        String alias = "attached_" + attachedFiles.incrementAndGet();
        List<String> served = new ArrayList<>();
        try (Statement statement = duckDb.createStatement()) {
            statement.execute("ATTACH " + literal(duckDbFile.toAbsolutePath().toString()) + " AS " + alias
                    + " (READ_ONLY)");
            for (DuckDbFileTables.Table attached : DuckDbFileTables.list(statement, alias)) {
                String schema = attached.schema().equals("main") ? "PUBLIC" : attached.schema().toUpperCase(Locale.ROOT);
                String tableName = attached.name().toUpperCase(Locale.ROOT);
                List<Column> columns = new ArrayList<>();
                StringBuilder select = new StringBuilder("SELECT ");
                for (DuckDbFileTables.Column column : attached.columns()) {
                    ColumnType type = SnowflakeFakeSql.columnTypeForDuckDb(column.duckDbType())
                            .orElseThrow(() -> attached.unsupported(column));
                    String columnName = column.name().toUpperCase(Locale.ROOT);
                    columns.add(new Column(columnName, type));
                    String source = SnowflakeFakeSql.quote(column.name());
                    String expression = type.rowType().equals("object") ? "CAST(to_json(" + source + ") AS JSON)"
                            : "CAST(" + source + " AS " + type.duckDbType() + ")";
                    select.append(columns.size() == 1 ? "" : ", ").append(expression).append(" AS ")
                            .append(SnowflakeFakeSql.quote(columnName));
                }
                select.append(" FROM ").append(alias).append('.').append(SnowflakeFakeSql.quote(attached.schema()))
                        .append('.').append(SnowflakeFakeSql.quote(attached.name()));
                Table table = new Table(databaseName, schema, tableName, databaseName + "." + schema + "."
                        + tableName, columns);
                register(table, "CREATE VIEW main." + SnowflakeFakeSql.quote(table.duckDbName()) + " AS " + select);
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
     * @param name {@code DB.SCHEMA.TABLE}, parts quoted or not (Snowflake case rules)
     */
    public void dropTable(String name) {
        String qualified = String.join(".", qualifiedParts(name));
        synchronized (tables) {
            Table removed = tables.remove(qualified);
            if (removed != null) {
                execute("DROP TABLE IF EXISTS main." + SnowflakeFakeSql.quote(removed.duckDbName()));
            }
        }
    }

    /** The DuckDB table (in schema {@code main}) that holds a Snowflake table, for {@link #execute}. */
    public String duckDbTableName(String table) {
        return table(table).duckDbName();
    }

    /** Runs DuckDB statements on the database behind the server, e.g. to load rows. */
    public void execute(String... duckDbStatements) {
        try (Statement statement = duckDb.createStatement()) {
            for (String sql : duckDbStatements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB statement failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows into a table; each value is bound as is (a {@code String} is cast by DuckDB to the column's
     * type, so {@code "2024-01-01 00:00:00.123456789"} works for a TIMESTAMP_NTZ and JSON text for a VARIANT).
     */
    public void insert(String table, Object[]... rows) {
        Table found = table(table);
        StringBuilder sql = new StringBuilder("INSERT INTO main.").append(SnowflakeFakeSql.quote(found.duckDbName()))
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

    /** Freezes the warehouse clock ({@code SYSDATE()}) at an instant. */
    public void freezeTimeAt(Instant instant) {
        this.clock = Clock.fixed(requireNonNull(instant, "instant is null"), ZoneOffset.UTC);
    }

    /** Lets the warehouse clock run again. */
    public void unfreezeTime() {
        this.clock = Clock.systemUTC();
    }

    /** Rows inline in a query answer and per chunk (default {@value #DEFAULT_ROWS_PER_CHUNK}). */
    public void setRowsPerChunk(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        this.rowsPerChunk = rows;
    }

    /** Every query received, oldest first, like Snowflake's {@code QUERY_HISTORY}. */
    public List<QueryHistoryEntry> queryHistory() {
        return List.copyOf(history);
    }

    /** How many result chunks the driver downloaded. */
    public int chunksServed() {
        return chunksServed.get();
    }

    /** Requests to paths this server does not serve ({@code METHOD path}), so tests can assert there were none. */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpectedRequests);
    }

    /** How many sessions are open (logged in, not yet closed). */
    public int openSessions() {
        return sessions.size();
    }

    /** How many queries are running now (executing or waiting for a warehouse to resume). */
    public int runningQueries() {
        return runningQueries.size();
    }

    @Override
    public void close() {
        FakeHttpExchanges.stop(server);
        try {
            duckDb.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot close DuckDB", e);
        } finally {
            FakeHttpExchanges.deleteRecursively(chunkDirectory);
        }
    }

    @Override
    public String toString() {
        return "TestingSnowflakeServer[" + HOST + ":" + port() + ", account " + ACCOUNT + "]";
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            ObjectNode answer;
            if (method.equals("GET") && path.startsWith("/chunks/")) {
                serveChunk(exchange, path);
                return;
            } else if (!method.equals("POST")) {
                unexpected(exchange);
                return;
            }
            switch (path) {
                case "/session/v1/login-request" -> answer = login(exchange);
                case "/queries/v1/query-request" -> answer = query(exchange);
                case "/queries/v1/abort-request" -> answer = abort(exchange);
                case "/session/heartbeat" -> answer = heartbeat(exchange);
                case "/session" -> answer = closeSession(exchange);
                default -> {
                    unexpected(exchange);
                    return;
                }
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 so the driver fails visibly rather than waiting.
            exchange.sendResponseHeaders(500, -1);
            throw e;
        }
    }

    private void unexpected(HttpExchange exchange) throws IOException {
        unexpectedRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        exchange.sendResponseHeaders(404, -1);
    }

    private static ObjectNode success(JsonNode data) {
        ObjectNode answer = NODES.objectNode();
        answer.set("data", data);
        answer.putNull("code");
        answer.putNull("message");
        answer.put("success", true);
        return answer;
    }

    private static ObjectNode failure(SnowflakeFakeError error, String queryId) {
        ObjectNode answer = NODES.objectNode();
        ObjectNode data = answer.putObject("data");
        if (queryId != null) {
            data.put("internalError", false);
            data.put("errorCode", error.code());
            data.put("sqlState", error.sqlState());
            data.put("queryId", queryId);
            data.put("line", -1);
            data.put("pos", -1);
        } else {
            data.put("nextAction", "RETRY_LOGIN");
            data.put("authnMethod", "KEY_PAIR");
        }
        answer.put("code", error.code());
        answer.put("message", error.getMessage());
        answer.put("success", false);
        return answer;
    }

    // ---- Login and sessions

    private ObjectNode login(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = FakeHttpExchanges.queryParameters(exchange);
        JsonNode data = FakeHttpExchanges.readJson(exchange).path("data");
        try {
            JsonNode platform = data.path("CLIENT_ENVIRONMENT").path("PLATFORM");
            if (!platform.isMissingNode() && !platform.equals(NODES.arrayNode().add("disabled"))) {
                throw new SnowflakeFakeError(SnowflakeFakeError.JWT_INVALID, "08001", "The fake Snowflake server"
                        + " refuses logins from drivers that ran platform detection (it probes cloud metadata"
                        + " addresses): connect with disablePlatformDetection=true; it reported PLATFORM "
                        + platform);
            }
            String loginName = data.path("LOGIN_NAME").asText("");
            String authenticator = data.path("AUTHENTICATOR").asText("");
            if (!authenticator.equalsIgnoreCase("SNOWFLAKE_JWT")) {
                throw new SnowflakeFakeError(SnowflakeFakeError.INCORRECT_USERNAME_PASSWORD, "08001",
                        "Incorrect username or password was specified. (The fake Snowflake server accepts key-pair"
                                + " authentication only.)");
            }
            User user = verifyJwt(loginName, data.path("TOKEN").asText(""));
            Session session;
            synchronized (user) {
                session = new Session(randomToken(), nextSessionId.getAndIncrement(), user.name,
                        parameters.getOrDefault("roleName", Optional.ofNullable(user.defaultRole).orElse("PUBLIC")),
                        Optional.ofNullable(parameters.getOrDefault("databaseName", user.defaultDatabase)),
                        Optional.ofNullable(parameters.getOrDefault("schemaName", user.defaultSchema)),
                        Optional.ofNullable(parameters.getOrDefault("warehouse", user.defaultWarehouse)));
            }
            sessions.put(session.token, session);
            ObjectNode answer = NODES.objectNode();
            answer.put("token", session.token);
            answer.put("validityInSeconds", 3600);
            answer.put("masterToken", randomToken());
            answer.put("masterValidityInSeconds", 14400);
            answer.putNull("mfaToken");
            answer.putNull("mfaTokenValidityInSeconds");
            answer.putNull("idToken");
            answer.putNull("idTokenValidityInSeconds");
            answer.put("displayUserName", user.name);
            answer.put("serverVersion", "9.0.0 (fake)");
            answer.put("firstLogin", false);
            answer.putNull("remMeToken");
            answer.put("remMeValidityInSeconds", 0);
            answer.put("healthCheckInterval", 45);
            answer.putNull("newClientForUpgrade");
            answer.put("sessionId", session.id);
            ArrayNode sessionParameters = answer.putArray("parameters");
            parameter(sessionParameters, "AUTOCOMMIT", true);
            parameter(sessionParameters, "CLIENT_TELEMETRY_ENABLED", false);
            parameter(sessionParameters, "CLIENT_SESSION_KEEP_ALIVE", false);
            // As Snowflake does, session parameters the client set at login are in force for the session.
            JsonNode requested = data.path("SESSION_PARAMETERS");
            parameter(sessionParameters, "CLIENT_PREFETCH_THREADS", requested.path("CLIENT_PREFETCH_THREADS").asInt(4));
            parameter(sessionParameters, "CLIENT_RESULT_CHUNK_SIZE", requested.path("CLIENT_RESULT_CHUNK_SIZE").asInt(160));
            parameter(sessionParameters, "CLIENT_MEMORY_LIMIT", requested.path("CLIENT_MEMORY_LIMIT").asInt(1536));
            sessionParameters.addObject().put("name", "TIMEZONE").put("value", SESSION_TIME_ZONE);
            ObjectNode info = answer.putObject("sessionInfo");
            putOrNull(info, "databaseName", session.database);
            putOrNull(info, "schemaName", session.schema);
            putOrNull(info, "warehouseName", session.warehouse.filter(warehouses::containsKey));
            info.put("roleName", session.role);
            return success(answer);
        } catch (SnowflakeFakeError e) {
            return failure(e, null);
        }
    }

    private static void parameter(ArrayNode parameters, String name, boolean value) {
        parameters.addObject().put("name", name).put("value", value);
    }

    private static void parameter(ArrayNode parameters, String name, int value) {
        parameters.addObject().put("name", name).put("value", value);
    }

    private static void putOrNull(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }

    private User verifyJwt(String loginName, String token) {
        User user = users.get(loginName.toUpperCase(Locale.ROOT));
        if (user == null) {
            throw SnowflakeFakeError.jwtInvalid("no user " + loginName);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw SnowflakeFakeError.jwtInvalid("not a signed JWT");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            header = JSON.readTree(decoder.decode(parts[0]));
            claims = JSON.readTree(decoder.decode(parts[1]));
            signature = decoder.decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            throw SnowflakeFakeError.jwtInvalid("undecodable JWT");
        }
        if (!header.path("alg").asText().equals("RS256")) {
            throw SnowflakeFakeError.jwtInvalid("alg is not RS256");
        }
        String subject = ACCOUNT + "." + user.name;
        if (!claims.path("sub").asText().equals(subject)) {
            throw SnowflakeFakeError.jwtInvalid("sub is not " + subject);
        }
        String issuer = claims.path("iss").asText();
        if (!issuer.startsWith(subject + ".SHA256:")) {
            throw SnowflakeFakeError.jwtInvalid("iss is not " + subject + ".SHA256:<fingerprint>");
        }
        String claimedFingerprint = issuer.substring(subject.length() + 1);
        Instant now = Instant.now();
        if (!claims.path("exp").canConvertToLong()
                || Instant.ofEpochSecond(claims.path("exp").asLong()).plus(JWT_CLOCK_SKEW).isBefore(now)) {
            throw SnowflakeFakeError.jwtInvalid("expired");
        }
        if (claims.path("iat").canConvertToLong()
                && Instant.ofEpochSecond(claims.path("iat").asLong()).minus(JWT_CLOCK_SKEW).isAfter(now)) {
            throw SnowflakeFakeError.jwtInvalid("issued in the future");
        }
        PublicKey[] keys;
        synchronized (user) {
            keys = user.keys.clone();
        }
        for (PublicKey key : keys) {
            if (key != null && fingerprint(key).equals(claimedFingerprint) && verifySignature(key, parts, signature)) {
                return user;
            }
        }
        throw SnowflakeFakeError.jwtInvalid("no registered public key of " + user.name + " verifies it");
    }

    private static boolean verifySignature(PublicKey key, String[] parts, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private Optional<Session> session(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher matcher = AUTHORIZATION.matcher(authorization);
        return matcher.find() ? Optional.ofNullable(sessions.get(matcher.group(1))) : Optional.empty();
    }

    private static SnowflakeFakeError sessionGone() {
        return new SnowflakeFakeError(SnowflakeFakeError.SESSION_GONE, "08003",
                "Session no longer exists.  New login required to access the service.");
    }

    private ObjectNode heartbeat(HttpExchange exchange) throws IOException {
        FakeHttpExchanges.readJson(exchange);
        return session(exchange).isPresent() ? success(NODES.nullNode()) : failure(sessionGone(), null);
    }

    private ObjectNode closeSession(HttpExchange exchange) throws IOException {
        FakeHttpExchanges.readJson(exchange);
        if (!"true".equals(FakeHttpExchanges.queryParameters(exchange).get("delete"))) {
            unexpectedRequests.add("POST /session without delete=true");
            return failure(SnowflakeFakeError.notUnderstood("POST /session without delete=true"), null);
        }
        Optional<Session> session = session(exchange);
        if (session.isEmpty()) {
            return failure(sessionGone(), null);
        }
        sessions.remove(session.get().token);
        results.values().removeIf(result -> {
            if (result.sessionToken.equals(session.get().token)) {
                result.delete();
                return true;
            }
            return false;
        });
        return success(NODES.nullNode());
    }

    // ---- Queries

    private ObjectNode abort(HttpExchange exchange) throws IOException {
        JsonNode body = FakeHttpExchanges.readJson(exchange);
        if (session(exchange).isEmpty()) {
            return failure(sessionGone(), null);
        }
        RunningQuery running = runningQueries.get(body.path("requestId").asText(""));
        if (running != null) {
            running.abort();
        }
        return success(NODES.nullNode());
    }

    private ObjectNode query(HttpExchange exchange) throws IOException {
        JsonNode body = FakeHttpExchanges.readJson(exchange);
        String requestId = FakeHttpExchanges.queryParameters(exchange).getOrDefault("requestId", randomToken());
        String sql = body.path("sqlText").asText("");
        String queryId = java.util.UUID.randomUUID().toString();
        Optional<Session> found = session(exchange);
        if (found.isEmpty()) {
            return failure(sessionGone(), queryId);
        }
        Session session = found.get();
        RunningQuery running = new RunningQuery();
        runningQueries.put(requestId, running);
        String tag = session.queryTag;
        try {
            ObjectNode answer = run(session, queryId, sql, body, running);
            history.add(new QueryHistoryEntry(queryId, sql, tag, session.user, session.role,
                    session.warehouse.orElse(""), "SUCCESS", ""));
            return answer;
        } catch (SnowflakeFakeError e) {
            history.add(new QueryHistoryEntry(queryId, sql, tag, session.user, session.role,
                    session.warehouse.orElse(""), "FAIL", e.code()));
            return failure(e, queryId);
        } finally {
            runningQueries.remove(requestId);
        }
    }

    private ObjectNode run(Session session, String queryId, String sql, JsonNode body, RunningQuery running) {
        Matcher setTag = SET_QUERY_TAG.matcher(sql);
        if (setTag.matches() || UNSET_QUERY_TAG.matcher(sql).matches()) {
            session.queryTag = setTag.matches() ? setTag.group(1).replace("''", "'") : "";
            return statusAnswer(session, queryId);
        }
        Translation translation = SnowflakeFakeSql.translate(sql, parts -> resolve(session, parts),
                "CAST(" + literal(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).toString())
                        + " AS TIMESTAMP_NS)");
        if (translation.table().isPresent()) {
            awaitWarehouse(session, running);
        }
        boolean describeOnly = body.path("describeOnly").asBoolean(false);
        try (DuckDBConnection connection = duckDb.duplicate()) {
            try (Statement setup = connection.createStatement()) {
                setup.execute("SET TimeZone = 'UTC'");
                setup.execute("SET jdbc_stream_results = true");
            }
            try (PreparedStatement statement = connection.prepareStatement(translation.duckDbSql())) {
                running.statement = statement;
                if (running.aborted()) {
                    throw canceled();
                }
                List<ColumnType> types = new ArrayList<>();
                ArrayNode rowType = rowType(statement.getMetaData(), translation, types);
                if (describeOnly) {
                    return resultAnswer(session, queryId, rowType, NODES.arrayNode(), 0, List.of(), null,
                            translation.parameterCount());
                }
                bind(statement, body.path("bindings"), translation.parameterCount());
                try (ResultSet rows = statement.executeQuery()) {
                    return streamResult(session, queryId, rowType, types, rows, translation.parameterCount());
                }
            }
        } catch (SQLException e) {
            if (running.aborted()) {
                throw canceled();
            }
            throw new SnowflakeFakeError(SnowflakeFakeError.EXECUTION_ERROR, "22000",
                    "The fake Snowflake server's DuckDB failed: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SnowflakeFakeError canceled() {
        return new SnowflakeFakeError(SnowflakeFakeError.CANCELED, "57014", "SQL execution canceled");
    }

    private Table resolve(Session session, List<String> parts) {
        List<String> qualified = new ArrayList<>(parts);
        if (qualified.size() < 3) {
            if (qualified.size() == 1) {
                qualified.add(0, session.schema.orElseThrow(
                        () -> SnowflakeFakeError.objectNotFound(String.join(".", parts))));
            }
            qualified.add(0, session.database.orElseThrow(
                    () -> SnowflakeFakeError.objectNotFound(String.join(".", parts))));
        }
        String name = String.join(".", qualified);
        Table table = tables.get(name);
        if (table == null || revokedSelect.contains(session.role + "\0" + name)) {
            throw SnowflakeFakeError.objectNotFound(name);
        }
        return table;
    }

    private void awaitWarehouse(Session session, RunningQuery running) {
        String name = session.warehouse.orElseThrow(SnowflakeFakeError::noActiveWarehouse);
        Warehouse warehouse = warehouses.get(name);
        if (warehouse == null || revokedUsage.contains(session.role + "\0" + name)) {
            throw SnowflakeFakeError.noActiveWarehouse();
        }
        if (warehouse.state == WarehouseState.SUSPENDED) {
            try {
                if (running.abortLatch.await(autoResumeDelay.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw canceled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw canceled();
            }
            synchronized (warehouse) {
                if (warehouse.state == WarehouseState.SUSPENDED) {
                    warehouse.state = WarehouseState.RUNNING;
                    warehouseResumes.incrementAndGet();
                }
            }
        }
    }

    private static void bind(PreparedStatement statement, JsonNode bindings, int parameterCount) throws SQLException {
        for (int i = 1; i <= parameterCount; i++) {
            JsonNode binding = bindings.path(Integer.toString(i));
            if (binding.isMissingNode()) {
                throw new SnowflakeFakeError("002049", "42601", "SQL compilation error: Bind variable ? not set.");
            }
            JsonNode value = binding.path("value");
            String type = binding.path("type").asText("TEXT");
            if (value.isNull() || value.isMissingNode()) {
                statement.setObject(i, null);
                continue;
            }
            if (!value.isTextual()) {
                throw SnowflakeFakeError.notUnderstood("array binds");
            }
            switch (type) {
                case "TEXT" -> statement.setString(i, withinNanosecondRange(value.asText()));
                case "FIXED" -> statement.setBigDecimal(i, new BigDecimal(value.asText()));
                case "REAL" -> statement.setDouble(i, Double.parseDouble(value.asText()));
                case "BOOLEAN" -> statement.setBoolean(i, value.asText().equals("1")
                        || value.asText().equalsIgnoreCase("true"));
                default -> throw SnowflakeFakeError.notUnderstood("binds of type " + type
                        + " (it takes TEXT, FIXED, REAL, BOOLEAN)");
            }
        }
    }

    /**
     * A timestamp text outside the years DuckDB's {@code TIMESTAMP_NS} holds (1677 to 2262), which stands in for
     * {@code TIMESTAMP_NTZ(9)} here, moved to that range's edge: Snowflake compares such a bound (a first run's
     * lower bound is 0001-01-01) without complaint, and no stored value lies beyond the edge, so every comparison
     * keeps its answer. Other text is bound as it is.
     */
    private static String withinNanosecondRange(String text) {
        Matcher timestamp = TIMESTAMP_TEXT.matcher(text);
        if (!timestamp.lookingAt()) {
            return text;
        }
        int year = Integer.parseInt(timestamp.group(1));
        if (year < 1678) {
            return "1677-09-22 00:00:00" + (text.endsWith("+00:00") ? "+00:00" : "");
        }
        if (year > 2261) {
            return "2262-04-10 00:00:00" + (text.endsWith("+00:00") ? "+00:00" : "");
        }
        return text;
    }

    private static ArrayNode rowType(ResultSetMetaData metaData, Translation translation, List<ColumnType> types)
            throws SQLException {
        ArrayNode rowType = NODES.arrayNode();
        Optional<Table> table = translation.table();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            String label = metaData.getColumnLabel(i);
            String duckDbType = metaData.getColumnTypeName(i);
            Optional<Column> declared = table.flatMap(t -> t.column(label))
                    .filter(column -> sameDuckDbType(column.type().duckDbType(), duckDbType));
            if (translation.selectStar() && table.isPresent()) {
                declared = Optional.of(table.get().columns().get(i - 1));
            }
            ColumnType type = declared.map(Column::type).orElseGet(() -> SnowflakeFakeSql
                    .columnTypeForDuckDb(duckDbType)
                    .orElseThrow(() -> SnowflakeFakeError.notUnderstood("a result column of DuckDB type "
                            + duckDbType)));
            types.add(type);
            ObjectNode column = rowType.addObject();
            column.put("name", label);
            if (declared.isPresent()) {
                column.put("database", table.get().database());
                column.put("schema", table.get().schema());
                column.put("table", table.get().name());
            } else {
                column.put("database", "");
                column.put("schema", "");
                column.put("table", "");
            }
            column.put("type", type.rowType());
            column.put("precision", type.precision());
            column.put("scale", type.scale());
            column.put("length", type.length());
            column.put("byteLength", type.length());
            column.put("nullable", true);
            column.putNull("collation");
        }
        return rowType;
    }

    private static boolean sameDuckDbType(String stored, String reported) {
        return stored.equalsIgnoreCase(reported)
                || (stored.equals("TIMESTAMPTZ") && reported.equalsIgnoreCase("TIMESTAMP WITH TIME ZONE"));
    }

    private ObjectNode statusAnswer(Session session, String queryId) {
        ArrayNode rowType = NODES.arrayNode();
        rowType.addObject().put("name", "status").put("database", "").put("schema", "").put("table", "")
                .put("type", "text").put("precision", 0).put("scale", 0).put("length", MAX_STATUS_LENGTH)
                .put("byteLength", MAX_STATUS_LENGTH).put("nullable", true).putNull("collation");
        ArrayNode rowset = NODES.arrayNode();
        rowset.addArray().add("Statement executed successfully.");
        ObjectNode answer = resultAnswer(session, queryId, rowType, rowset, 1, List.of(), null, 0);
        ((ObjectNode) answer.get("data")).put("statementTypeId", ALTER_SESSION_STATEMENT);
        return answer;
    }

    private static final int MAX_STATUS_LENGTH = 16_777_216;

    private ObjectNode resultAnswer(Session session, String queryId, ArrayNode rowType, ArrayNode rowset, long total,
            List<ChunkFile> chunks, String chunkKey, int parameterCount) {
        ObjectNode data = NODES.objectNode();
        data.putArray("parameters");
        data.set("rowtype", rowType);
        data.set("rowset", rowset);
        data.put("total", total);
        data.put("returned", rowset.size());
        data.put("queryId", queryId);
        data.putNull("databaseProvider");
        putOrNull(data, "finalDatabaseName", session.database);
        putOrNull(data, "finalSchemaName", session.schema);
        putOrNull(data, "finalWarehouseName", session.warehouse);
        data.put("finalRoleName", session.role);
        data.put("numberOfBinds", parameterCount);
        data.put("arrayBindSupported", false);
        data.put("statementTypeId", SELECT_STATEMENT);
        data.put("version", 1);
        data.put("sendResultTime", System.currentTimeMillis());
        data.put("queryResultFormat", "json");
        if (!chunks.isEmpty()) {
            ArrayNode chunkNodes = data.putArray("chunks");
            for (ChunkFile chunk : chunks) {
                chunkNodes.addObject().put("url", chunk.url).put("rowCount", chunk.rowCount)
                        .put("uncompressedSize", chunk.uncompressedSize).put("compressedSize", chunk.compressedSize);
            }
            data.putObject("chunkHeaders").put(CHUNK_KEY_HEADER, chunkKey)
                    .put("x-amz-server-side-encryption-customer-algorithm", "AES256");
        }
        return success(data);
    }

    private ObjectNode streamResult(Session session, String queryId, ArrayNode rowType, List<ColumnType> types,
            ResultSet rows, int parameterCount) throws SQLException, IOException {
        int perChunk = rowsPerChunk;
        ArrayNode inline = NODES.arrayNode();
        long total = 0;
        String key = randomToken();
        StoredResult stored = new StoredResult(session.token, key, chunkDirectory.resolve(queryId));
        List<ChunkFile> chunks = new ArrayList<>();
        ChunkWriter writer = null;
        String[] values = new String[types.size()];
        boolean inlineFull = false;
        long inlineChars = 0;
        long chunkChars = 0;
        try {
            while (rows.next()) {
                long chars = 0;
                for (int i = 0; i < values.length; i++) {
                    values[i] = encode(rows, i + 1, types.get(i));
                    chars += values[i] == null ? 0 : values[i].length();
                }
                inlineFull |= total >= perChunk || (total > 0 && inlineChars + chars > MAX_CHUNK_CHARS);
                if (!inlineFull) {
                    ArrayNode row = inline.addArray();
                    for (String value : values) {
                        row.add(value);
                    }
                    inlineChars += chars;
                } else {
                    if (writer != null && chunkChars + chars > MAX_CHUNK_CHARS) {
                        chunks.add(writer.finish(chunkUrl(queryId, chunks.size())));
                        writer = null;
                    }
                    if (writer == null) {
                        Files.createDirectories(stored.directory);
                        writer = new ChunkWriter(stored.directory.resolve(Integer.toString(chunks.size())));
                        chunkChars = 0;
                    }
                    writer.write(values);
                    chunkChars += chars;
                    if (writer.rows == perChunk) {
                        chunks.add(writer.finish(chunkUrl(queryId, chunks.size())));
                        writer = null;
                    }
                }
                total++;
            }
            if (writer != null) {
                chunks.add(writer.finish(chunkUrl(queryId, chunks.size())));
                writer = null;
            }
        } finally {
            if (writer != null) {
                writer.abandon();
            }
        }
        if (!chunks.isEmpty()) {
            stored.chunkCount = chunks.size();
            results.put(queryId, stored);
        }
        return resultAnswer(session, queryId, rowType, inline, total, chunks, key, parameterCount);
    }

    private String chunkUrl(String queryId, int index) {
        return "http://" + HOST + ":" + port() + "/chunks/" + queryId + "/" + index;
    }

    private static String encode(ResultSet rows, int column, ColumnType type) throws SQLException {
        switch (type.rowType()) {
            case "timestamp_ntz" -> {
                LocalDateTime value = rows.getObject(column, LocalDateTime.class);
                return value == null ? null : seconds(value.toEpochSecond(ZoneOffset.UTC), value.getNano(),
                        type.scale());
            }
            case "timestamp_ltz", "timestamp_tz" -> {
                OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
                if (value == null) {
                    return null;
                }
                String seconds = seconds(value.toEpochSecond(), value.getNano(), type.scale());
                return type.rowType().equals("timestamp_ltz") ? seconds
                        : seconds + " " + (value.getOffset().getTotalSeconds() / 60 + 1440);
            }
            case "boolean" -> {
                boolean value = rows.getBoolean(column);
                return rows.wasNull() ? null : value ? "1" : "0";
            }
            case "date" -> {
                LocalDate value = rows.getObject(column, LocalDate.class);
                return value == null ? null : Long.toString(value.toEpochDay());
            }
            case "fixed" -> {
                Object value = rows.getObject(column);
                return value == null ? null : value instanceof BigDecimal decimal ? decimal.toPlainString()
                        : value.toString();
            }
            default -> {
                return rows.getString(column);
            }
        }
    }

    private static String seconds(long epochSecond, int nanos, int scale) {
        return BigDecimal.valueOf(epochSecond).add(BigDecimal.valueOf(nanos, 9)).setScale(scale, RoundingMode.FLOOR)
                .toPlainString();
    }

    private void serveChunk(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        StoredResult stored = parts.length == 4 ? results.get(parts[2]) : null;
        int index;
        try {
            index = parts.length == 4 ? Integer.parseInt(parts[3]) : -1;
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (stored == null || index < 0 || index >= stored.chunkCount) {
            unexpected(exchange);
            return;
        }
        if (!stored.key.equals(exchange.getRequestHeaders().getFirst(CHUNK_KEY_HEADER))) {
            exchange.sendResponseHeaders(403, -1);
            return;
        }
        Path file = stored.directory.resolve(Integer.toString(index));
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
        chunksServed.incrementAndGet();
    }

    // ---- Catalog helpers

    private void register(Table table, String ddl) {
        synchronized (tables) {
            String caseless = table.qualifiedName().toUpperCase(Locale.ROOT);
            if (tables.keySet().stream().anyMatch(name -> name.toUpperCase(Locale.ROOT).equals(caseless))) {
                throw new IllegalArgumentException("A table named " + table.qualifiedName()
                        + " (ignoring case) exists; DuckDB behind the fake ignores case");
            }
            Set<String> columnNames = new java.util.HashSet<>();
            for (Column column : table.columns()) {
                if (!columnNames.add(column.name().toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("Two columns named " + column.name() + " (ignoring case)");
                }
            }
            execute(ddl);
            tables.put(table.qualifiedName(), table);
        }
    }

    private Table table(String name) {
        String qualified = String.join(".", qualifiedParts(name));
        Table table = tables.get(qualified);
        if (table == null) {
            throw new IllegalArgumentException("No table " + qualified);
        }
        return table;
    }

    private static List<String> qualifiedParts(String name) {
        List<String> parts = SnowflakeFakeSql.nameParts(name);
        if (parts.size() != 3) {
            throw new IllegalArgumentException("Expected DB.SCHEMA.TABLE: " + name);
        }
        return parts;
    }

    private static String objectKey(String name) {
        List<String> parts = SnowflakeFakeSql.nameParts(name);
        if (parts.size() != 1) {
            throw new IllegalArgumentException("Expected a single name: " + name);
        }
        return parts.get(0);
    }

    private static String userKey(String name) {
        return requireNonNull(name, "name is null").toUpperCase(Locale.ROOT);
    }

    private User user(String name) {
        User user = users.get(userKey(name));
        if (user == null) {
            throw new IllegalArgumentException("No user " + name);
        }
        return user;
    }

    private static PublicKey checkRsa(PublicKey key) {
        if (!(key instanceof RSAPublicKey)) {
            throw new IllegalArgumentException("Not an RSA public key: " + key.getAlgorithm());
        }
        return key;
    }

    private static List<String> splitTopLevel(String columns) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < columns.length(); i++) {
            char c = columns.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(columns.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(columns.substring(start));
        return parts;
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(requireNonNull(value, "value is null"), StandardCharsets.UTF_8);
    }

    private String randomToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    // ---- State

    private static final class User {
        final String name;
        final PublicKey[] keys = new PublicKey[2];
        String defaultRole;
        String defaultWarehouse;
        String defaultDatabase;
        String defaultSchema;

        User(String name) {
            this.name = name;
        }
    }

    private static final class Warehouse {
        volatile WarehouseState state;

        Warehouse(WarehouseState state) {
            this.state = state;
        }
    }

    private static final class Session {
        final String token;
        final long id;
        final String user;
        final String role;
        final Optional<String> database;
        final Optional<String> schema;
        final Optional<String> warehouse;
        volatile String queryTag = "";

        Session(String token, long id, String user, String role, Optional<String> database, Optional<String> schema,
                Optional<String> warehouse) {
            this.token = token;
            this.id = id;
            this.user = user;
            this.role = SnowflakeFakeSql.nameParts(role).get(0);
            this.database = database.map(name -> SnowflakeFakeSql.nameParts(name).get(0));
            this.schema = schema.map(name -> SnowflakeFakeSql.nameParts(name).get(0));
            this.warehouse = warehouse.map(name -> SnowflakeFakeSql.nameParts(name).get(0));
        }
    }

    private static final class RunningQuery {
        final CountDownLatch abortLatch = new CountDownLatch(1);
        volatile Statement statement;

        boolean aborted() {
            return abortLatch.getCount() == 0;
        }

        void abort() {
            abortLatch.countDown();
            Statement running = statement;
            if (running != null) {
                try {
                    running.cancel();
                } catch (SQLException e) {
                    // The statement finished or closed meanwhile: nothing left to cancel.
                }
            }
        }
    }

    private static final class StoredResult {
        final String sessionToken;
        final String key;
        final Path directory;
        volatile int chunkCount;

        StoredResult(String sessionToken, String key, Path directory) {
            this.sessionToken = sessionToken;
            this.key = key;
            this.directory = directory;
        }

        void delete() {
            FakeHttpExchanges.deleteRecursively(directory);
        }
    }

    private record ChunkFile(String url, int rowCount, long uncompressedSize, long compressedSize) {
    }

    /** Writes one chunk: rows {@code ["a",null],["b","c"]}, gzip-compressed, counting the uncompressed bytes. */
    private static final class ChunkWriter {
        final Path file;
        final CountingOutputStream counter;
        final Writer writer;
        int rows;

        ChunkWriter(Path file) throws IOException {
            this.file = file;
            this.counter = new CountingOutputStream(new GZIPOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file)), 64 * 1024));
            this.writer = new java.io.OutputStreamWriter(counter, StandardCharsets.UTF_8);
        }

        void write(String[] values) throws IOException {
            writer.write(rows == 0 ? "[" : ",\n[");
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    writer.write(',');
                }
                if (values[i] == null) {
                    writer.write("null");
                } else {
                    writer.write(JSON.writeValueAsString(values[i]));
                }
            }
            writer.write(']');
            rows++;
        }

        ChunkFile finish(String url) throws IOException {
            writer.close();
            return new ChunkFile(url, rows, counter.count, Files.size(file));
        }

        void abandon() {
            try {
                writer.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Best effort: the whole chunk directory is deleted on close.
            }
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
