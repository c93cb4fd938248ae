package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdi.testkit.BigQueryFakeSql.Column;
import dev.cdi.testkit.BigQueryFakeSql.ColumnType;
import dev.cdi.testkit.BigQueryFakeSql.Table;
import dev.cdi.testkit.BigQueryFakeSql.Translation;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.duckdb.DuckDBConnection;

/**
 * Stands in for Google BigQuery in tests: an HTTP server on 127.0.0.1 that the real
 * {@code com.google.cloud:google-cloud-bigquery} client talks to with a real service-account credential flow, the
 * SQL running on an embedded DuckDB.
 *
 * <pre>{@code
 * try (TestingBigQueryServer bigQuery = TestingBigQueryServer.start()) {
 *     ServiceAccount account = bigQuery.createServiceAccount("cdi@cdi-test.iam.gserviceaccount.com");
 *     bigQuery.createTable("cdi-test.sales.users", "UPDATED_AT TIMESTAMP, EXTERNAL_ID STRING, PAYLOAD JSON");
 *     BigQuery client = BigQueryOptions.newBuilder().setProjectId("cdi-test").setHost(bigQuery.url())
 *             .setLocation("US").setCredentials(ServiceAccountCredentials.fromStream(
 *                     new ByteArrayInputStream(account.keyJson().getBytes(UTF_8))))
 *             .build().getService();
 * }
 * }</pre>
 *
 * <h2>What the client does, read from its source (google-cloud-bigquery 2.x) and checked by the tests</h2>
 * <ul>
 *   <li><b>Token.</b> {@code ServiceAccountCredentials} posts the form {@code grant_type=urn:ietf:params:oauth:
 *       grant-type:jwt-bearer&assertion=<JWT>} to the key's {@code token_uri}. The JWT is RS256 (header {@code kid} =
 *       {@code private_key_id}) with {@code iss} = {@code client_email}, {@code aud} =
 *       {@code https://oauth2.googleapis.com/token} (google-auth-library 1.54 always uses Google's token URI as the
 *       audience, even when {@code token_uri} points elsewhere; this server also accepts its own token URI),
 *       {@code scope} = the BigQuery scopes space-separated, {@code iat} and {@code exp} (one hour). This server
 *       checks the signature against the account's public key, the issuer, audience, expiry and scope, and answers
 *       {@code {"access_token","expires_in":3600,"token_type":"Bearer"}}; a wrong key or unknown account is HTTP 400
 *       {@code {"error":"invalid_grant","error_description":"Invalid JWT Signature."}}, as Google answers. Every
 *       REST call must carry {@code Authorization: Bearer <a token issued here>}, else HTTP 401.</li>
 *   <li><b>Query.</b> {@code BigQuery.query} (no job id, no destination table) posts
 *       {@code /bigquery/v2/projects/{p}/queries} ({@code jobs.query}), gzip-compressed
 *       ({@code Content-Encoding: gzip}), with {@code query}, {@code useLegacySql:false}, {@code parameterMode},
 *       {@code queryParameters} ({@code {name, parameterType:{type}, parameterValue:{value}}}; a TIMESTAMP value is
 *       text such as {@code 2024-01-01 00:00:00.123456+00:00}), {@code labels}, {@code maximumBytesBilled} (int64 as
 *       a string), {@code location}, {@code requestId}, {@code jobCreationMode} and {@code formatOptions}. An answer
 *       with {@code jobComplete:true} carries {@code schema}, the first page of {@code rows}, {@code totalRows} and,
 *       when more rows follow, {@code pageToken}; the client then reads the job ({@code GET .../jobs/{id}}) for its
 *       {@code configuration.query.destinationTable} and pages with {@code tabledata.list}
 *       ({@code GET .../datasets/{d}/tables/{t}/data?pageToken=&startIndex=0}). An answer with
 *       {@code jobComplete:false} makes the client read the job, poll {@code GET .../queries/{id}?maxResults=0}
 *       until complete, and page the destination table with {@code tabledata.list} from the start.</li>
 *   <li><b>Dry run.</b> {@code BigQuery.query} refuses a dry run; {@code BigQuery.create(JobInfo)} posts
 *       {@code /bigquery/v2/projects/{p}/jobs} ({@code jobs.insert}) with {@code configuration.dryRun:true}, answered
 *       with {@code statistics.totalBytesProcessed} and {@code statistics.query.totalBytesProcessed}.</li>
 *   <li><b>Values</b> ({@code f}/{@code v} rows, every value a JSON string or null): INTEGER as decimal text,
 *       BOOLEAN as {@code "true"}/{@code "false"}, JSON and STRING as text, DATETIME as {@code 2024-01-01T00:00:00.123456},
 *       DATE as {@code 2024-01-01}; TIMESTAMP as microseconds since the epoch (int64 text) when the request asks
 *       {@code formatOptions.useInt64Timestamp=true}, otherwise seconds since the epoch with the microseconds as a
 *       decimal fraction in E notation ({@code "1.704067200123456E9"}), which the client parses exactly with
 *       {@code BigDecimal}.</li>
 *   <li><b>Errors</b> are Google's shape: {@code {"error":{"code","message","errors":[{"message","domain":"global",
 *       "reason"}],"status"}}}; the client's {@code BigQueryException} carries the code and the reason. The client
 *       (2.73.0) retries a 500 {@code backendError} on GET calls (tables.get) and a {@code rateLimitExceeded}
 *       ("Exceeded rate limits") on {@code jobs.query}, but not a 500 {@code backendError} on {@code jobs.query}: that
 *       reaches the caller with {@code isRetryable()} true, so a connector must retry it itself.</li>
 * </ul>
 *
 * <h2>Tables, SQL and cost</h2>
 * {@link #createTable} takes BigQuery types: TIMESTAMP (stored in DuckDB as TIMESTAMPTZ, microseconds, UTC),
 * DATETIME (TIMESTAMP), DATE, STRING (VARCHAR), JSON, BOOL, INT64 (BIGINT), FLOAT64 (DOUBLE), NUMERIC
 * (DECIMAL(38,9)) and {@code STRUCT<...>} of those. The DuckDB relation of {@code project.dataset.table} is
 * {@link #duckDbTableName}. Accepted statements: one {@code SELECT} from at most one table (backticked
 * {@code `p.d.t`}, {@code `p`.`d`.`t`} or {@code d.t}) with {@code WHERE}, {@code ORDER BY}, {@code LIMIT};
 * comparisons, {@code AND}/{@code OR}/{@code NOT}, {@code IS [NOT] NULL}, {@code CASE}, {@code SUM}, {@code COUNT},
 * {@code MIN}, {@code MAX}, named parameters {@code @name}, {@code UNIX_MICROS(x)} (TIMESTAMP only, as in BigQuery),
 * {@code TIMESTAMP(x)}, {@code TO_JSON_STRING(x)} and {@code CURRENT_TIMESTAMP()} (see {@link #freezeTimeAt}).
 * Anything else fails with {@code invalidQuery} (HTTP 400) naming what the fake does not understand.
 *
 * <p>Bytes processed follow BigQuery's data-size rules for the columns a query references (8 bytes for INT64,
 * TIMESTAMP, DATETIME, DATE, FLOAT64; 1 for BOOL; 16 for NUMERIC; 2 plus the UTF-8 length for STRING and JSON; a
 * {@code SELECT *} references every column, {@code COUNT(*)} none). Partition pruning is not modelled. Bytes billed
 * are the bytes processed rounded up to a whole MB, at least 10 MB per table referenced; a query whose bytes billed
 * exceed {@code maximumBytesBilled} fails with {@code bytesBilledLimitExceeded} (HTTP 400), as in BigQuery.
 *
 * <p>Every job is listed in {@link #jobHistory()}. Results are materialised in DuckDB and served in pages of at most
 * {@link #DEFAULT_PAGE_ROWS} rows (see {@link #setPageRows}) and {@link #MAX_PAGE_CHARS} characters of values, read
 * from DuckDB one page at a time, so the server holds one page of rows in the Java heap per request.
 *
 * <p>Thread-safe: the client may use several threads. {@link #close()} stops the server and drops its data.
 */
public final class TestingBigQueryServer implements AutoCloseable {

    /** Rows per result page unless {@link #setPageRows} says else. */
    public static final int DEFAULT_PAGE_ROWS = 10_000;
    /** The most characters of values in one page, whatever the row count (BigQuery caps a page at about 10 MB). */
    public static final long MAX_PAGE_CHARS = 4L << 20;
    /** The least bytes billed per table a query references (on-demand pricing). */
    public static final long MINIMUM_BYTES_BILLED_PER_TABLE = 10L << 20;
    /** The dataset holding the anonymous result tables of jobs, as BigQuery's hidden {@code _...} datasets. */
    public static final String RESULTS_DATASET = "_cdi_fake_results";

    /**
     * A service account the server knows: its email and the full JSON key (a secret) for
     * {@code ServiceAccountCredentials.fromStream}.
     */
    public record ServiceAccount(String email, String keyJson, PublicKey publicKey) {
        public ServiceAccount {
            requireNonNull(email, "email is null");
            requireNonNull(keyJson, "keyJson is null");
            requireNonNull(publicKey, "publicKey is null");
        }

        @Override
        public String toString() {
            return "ServiceAccount[" + email + "]";
        }
    }

    /** A job the server ran or refused, as BigQuery's {@code INFORMATION_SCHEMA.JOBS} lists it. */
    public record JobHistoryEntry(String jobId, String serviceAccount, String query, Map<String, String> labels,
            boolean dryRun, long totalBytesProcessed, long totalBytesBilled, String state,
            Optional<String> errorReason) {
        public JobHistoryEntry {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(serviceAccount, "serviceAccount is null");
            requireNonNull(query, "query is null");
            labels = Map.copyOf(labels);
            requireNonNull(state, "state is null");
            requireNonNull(errorReason, "errorReason is null");
        }
    }

    private static final String HOST = "127.0.0.1";
    /** The audience google-auth-library puts in the assertion whatever the key's {@code token_uri} says. */
    private static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final String API = "/bigquery/v2/projects/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(10);

    private final HttpServer server;
    private final DuckDBConnection duckDb;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, String> partitioning = new ConcurrentHashMap<>();
    private final Map<String, List<String>> clustering = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<Job> history = new CopyOnWriteArrayList<>();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger pagesServed = new AtomicInteger();
    private final AtomicInteger largestPageRows = new AtomicInteger();
    private final AtomicInteger gzipRequestBodies = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger attachedFiles = new AtomicInteger();
    private final AtomicLong nextJob = new AtomicLong(1);
    private final Object failureLock = new Object();
    private int failuresLeft;
    private String failureReason = "backendError";
    private volatile Duration jobDelay = Duration.ZERO;
    private volatile int pageRows = DEFAULT_PAGE_ROWS;
    private volatile Clock clock = Clock.systemUTC();

    private record Account(String email, String projectId, PublicKey publicKey) {
    }

    /** A job; its mutable fields are guarded by the job itself. */
    private static final class Job {
        final String id;
        final String project;
        final String location;
        final String email;
        final String query;
        final Map<String, String> labels;
        final JsonNode parameters;
        final boolean dryRun;
        final Instant created;
        final Instant ready;
        final long bytesProcessed;
        final long bytesBilled;
        final String resultTable;
        final ArrayNode schema;
        final long totalRows;
        final BigQueryFakeError error;

        Job(String id, String project, String location, String email, String query, Map<String, String> labels,
                JsonNode parameters, boolean dryRun, Instant created, Instant ready, long bytesProcessed,
                long bytesBilled, String resultTable, ArrayNode schema, long totalRows, BigQueryFakeError error) {
            this.id = id;
            this.project = project;
            this.location = location;
            this.email = email;
            this.query = query;
            this.labels = Map.copyOf(labels);
            this.parameters = parameters;
            this.dryRun = dryRun;
            this.created = created;
            this.ready = ready;
            this.bytesProcessed = bytesProcessed;
            this.bytesBilled = bytesBilled;
            this.resultTable = resultTable;
            this.schema = schema;
            this.totalRows = totalRows;
            this.error = error;
        }

        boolean done() {
            return !Instant.now().isBefore(ready);
        }
    }

    private TestingBigQueryServer(HttpServer server, DuckDBConnection duckDb) {
        this.server = server;
        this.duckDb = duckDb;
        server.createContext("/", this::handle);
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static TestingBigQueryServer start() {
        return start(0);
    }

    /** Starts a server on the given port of 127.0.0.1, 0 for a free one. */
    public static TestingBigQueryServer start(int port) {
        try {
            HttpServer server = FakeHttpExchanges.server(port, "testing-bigquery-server");
            DuckDBConnection duckDb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = duckDb.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute("CREATE SCHEMA results");
            }
            TestingBigQueryServer bigQuery = new TestingBigQueryServer(server, duckDb);
            server.start();
            return bigQuery;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open DuckDB", e);
        }
    }

    /** The root URL for {@code BigQueryOptions.Builder.setHost}, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The OAuth token endpoint that the keys' {@code token_uri} names. */
    public String tokenUri() {
        return url() + "/token";
    }

    /**
     * Registers a service account with a new RSA key pair and returns its JSON key. The key's project is the part
     * of the email between {@code @} and {@code .iam.gserviceaccount.com}, else {@code cdi-test}.
     */
    public ServiceAccount createServiceAccount(String email) {
        requireNonNull(email, "email is null");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            KeyPair keyPair = generator.generateKeyPair();
            String project = email.endsWith(".iam.gserviceaccount.com") && email.contains("@")
                    ? email.substring(email.indexOf('@') + 1, email.length() - ".iam.gserviceaccount.com".length())
                    : "cdi-test";
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(keyPair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            byte[] id = new byte[20];
            random.nextBytes(id);
            ObjectNode key = JSON.createObjectNode();
            key.put("type", "service_account");
            key.put("project_id", project);
            key.put("private_key_id", HexFormat.of().formatHex(id));
            key.put("private_key", pem);
            key.put("client_email", email);
            key.put("client_id", String.valueOf(100_000_000_000_000_000L + (random.nextLong() & 0xFFFFFFFFFFFFL)));
            key.put("auth_uri", url() + "/o/oauth2/auth");
            key.put("token_uri", tokenUri());
            key.put("auth_provider_x509_cert_url", url() + "/oauth2/v1/certs");
            key.put("client_x509_cert_url", url() + "/robot/v1/metadata/x509/" + email);
            key.put("universe_domain", "googleapis.com");
            accounts.put(email, new Account(email, project, keyPair.getPublic()));
            return new ServiceAccount(email, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(key),
                    keyPair.getPublic());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot create a key for " + email, e);
        }
    }

    /**
     * Creates a table.
     *
     * @param name {@code project.dataset.table}, parts in backticks or not
     * @param columns BigQuery column definitions, e.g. {@code UPDATED_AT TIMESTAMP, PAYLOAD JSON}
     */
    public void createTable(String name, String columns) {
        List<String> parts = qualifiedParts(name);
        List<Column> parsed = new ArrayList<>();
        for (String definition : BigQueryFakeSql.splitTopLevel(columns)) {
            List<FakeSqlLexer.Token> tokens = BigQueryFakeSql.tokenize(definition.replaceAll("<.*", ""));
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("Empty column definition in " + columns);
            }
            String columnName = tokens.get(0).identifier();
            String type = definition.strip().substring(tokens.get(0).text().length());
            parsed.add(new Column(columnName, BigQueryFakeSql.columnType(type)));
        }
        String key = String.join(".", parts);
        Table table = new Table(parts.get(0), parts.get(1), parts.get(2), "main." + BigQueryFakeSql.quote(key), parsed);
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table.duckDbName()).append(" (");
        for (int i = 0; i < parsed.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append(BigQueryFakeSql.quote(parsed.get(i).name())).append(' ')
                    .append(parsed.get(i).type().duckDbType());
        }
        register(table, ddl.append(')').toString());
    }

    /**
     * Serves every table of a DuckDB file (opened read-only) as tables of {@code project.dataset}, names kept, types
     * mapped (TIMESTAMPTZ → TIMESTAMP, TIMESTAMP → DATETIME, VARCHAR → STRING, integers → INT64, DOUBLE → FLOAT64,
     * DECIMAL → NUMERIC, JSON, BOOLEAN, DATE). A column of another type fails the call.
     *
     * @return the qualified names of the tables now served
     */
    public List<String> attach(Path duckDbFile, String project, String dataset) {
        String alias = "attached_" + attachedFiles.incrementAndGet();
        List<String> served = new ArrayList<>();
        try (Statement statement = duckDb.createStatement()) {
            statement.execute("ATTACH " + literal(duckDbFile.toAbsolutePath().toString()) + " AS " + alias
                    + " (READ_ONLY)");
            for (DuckDbFileTables.Table attached : DuckDbFileTables.list(statement, alias)) {
                String tableName = attached.schema().equals("main") ? attached.name()
                        : attached.schema() + "_" + attached.name();
                List<Column> columns = new ArrayList<>();
                for (DuckDbFileTables.Column column : attached.columns()) {
                    ColumnType type = BigQueryFakeSql.columnTypeForDuckDb(column.duckDbType())
                            .orElseThrow(() -> attached.unsupported(column));
                    columns.add(new Column(column.name(), type));
                }
                Table table = new Table(project, dataset, tableName, alias + "." + BigQueryFakeSql.quote(
                        attached.schema()) + "." + BigQueryFakeSql.quote(attached.name()), columns);
                tables.put(table.qualifiedName(), table);
                served.add(table.qualifiedName());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot attach " + duckDbFile + ": " + e.getMessage(), e);
        }
        return List.copyOf(served);
    }

    /** Drops a table made with {@link #createTable}, if it exists. */
    public void dropTable(String name) {
        String qualified = String.join(".", qualifiedParts(name));
        synchronized (tables) {
            Table removed = tables.remove(qualified);
            if (removed != null && removed.duckDbName().startsWith("main.")) {
                execute("DROP TABLE IF EXISTS " + removed.duckDbName());
            }
        }
    }

    /** The DuckDB relation that holds a table, for {@link #execute}. */
    public String duckDbTableName(String table) {
        return table(table).duckDbName();
    }

    /** Runs DuckDB statements on the database behind the server, e.g. to load rows. */
    public void execute(String... duckDbStatements) {
        try (Connection connection = duckDb.duplicate(); Statement statement = connection.createStatement()) {
            for (String sql : duckDbStatements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB statement failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows into a table; an {@link Instant} is stored as that instant, anything else is bound as is (a
     * {@code String} is cast by DuckDB to the column's type, so JSON text works for a JSON column).
     */
    public void insert(String table, Object[]... rows) {
        Table found = table(table);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(found.duckDbName()).append(" VALUES (");
        for (int i = 0; i < found.columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(found.columns().get(i).type().duckDbType())
                    .append(')');
        }
        try (Connection connection = duckDb.duplicate();
                PreparedStatement insert = connection.prepareStatement(sql.append(')').toString())) {
            for (Object[] row : rows) {
                if (row.length != found.columns().size()) {
                    throw new IllegalArgumentException("Row has " + row.length + " values, table "
                            + found.qualifiedName() + " has " + found.columns().size() + " columns");
                }
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i] instanceof Instant instant ? timestampText(instant) : row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Insert into " + found.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /** Reports the table as partitioned by day on a column ({@code timePartitioning} {@code {type: DAY, field}}). */
    public void setPartitioning(String table, String field) {
        partitioning.put(table(table).qualifiedName(), requireNonNull(field, "field is null"));
    }

    /** Reports the table as clustered on columns ({@code clustering.fields}). */
    public void setClustering(String table, List<String> fields) {
        clustering.put(table(table).qualifiedName(), List.copyOf(fields));
    }

    /** Takes every permission on a table from a service account: reads and metadata fail with {@code accessDenied}. */
    public void revokeAccess(String serviceAccountEmail, String table) {
        revoked.add(serviceAccountEmail + "\0" + table(table).qualifiedName());
    }

    /** Gives back what {@link #revokeAccess} took. */
    public void grantAccess(String serviceAccountEmail, String table) {
        revoked.remove(serviceAccountEmail + "\0" + table(table).qualifiedName());
    }

    /**
     * Makes every job that reads a table run for this long: {@code jobs.query} answers {@code jobComplete:false} and
     * the job completes that long after it started (a poll waits for it, up to the poll's {@code timeoutMs}).
     */
    public void setJobDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
        this.jobDelay = delay;
    }

    /** Rows per result page (default {@value #DEFAULT_PAGE_ROWS}); a request's {@code maxResults} may ask fewer. */
    public void setPageRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        this.pageRows = rows;
    }

    /** Freezes the clock of {@code CURRENT_TIMESTAMP()} at an instant. */
    public void freezeTimeAt(Instant instant) {
        this.clock = Clock.fixed(requireNonNull(instant, "instant is null"), ZoneOffset.UTC);
    }

    /** Lets the clock of {@code CURRENT_TIMESTAMP()} run again. */
    public void unfreezeTime() {
        this.clock = Clock.systemUTC();
    }

    /**
     * Fails the next {@code count} BigQuery REST calls (not token requests) with a reason: {@code backendError}
     * (500), {@code internalError} (500), {@code rateLimitExceeded} (403), {@code quotaExceeded} (403),
     * {@code accessDenied} (403), {@code notFound} (404), anything else 400.
     */
    public void failNextCalls(int count, String reason) {
        requireNonNull(reason, "reason is null");
        synchronized (failureLock) {
            failuresLeft = count;
            failureReason = reason;
        }
    }

    /** Every job received, oldest first, including dry runs and refused queries. */
    public List<JobHistoryEntry> jobHistory() {
        List<JobHistoryEntry> entries = new ArrayList<>();
        for (Job job : history) {
            entries.add(new JobHistoryEntry(job.id, job.email, job.query, job.labels, job.dryRun, job.bytesProcessed,
                    job.bytesBilled, job.error != null || job.done() ? "DONE" : "RUNNING",
                    Optional.ofNullable(job.error).map(BigQueryFakeError::reason)));
        }
        return List.copyOf(entries);
    }

    /** Every REST request ({@code METHOD path?query}), oldest first. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many answers carried result rows (pages). */
    public int pagesServed() {
        return pagesServed.get();
    }

    /** The most rows one answer carried. */
    public int largestPageRows() {
        return largestPageRows.get();
    }

    /** How many request bodies arrived gzip-compressed. */
    public int gzipRequestBodies() {
        return gzipRequestBodies.get();
    }

    /** How many access tokens the token endpoint issued. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Requests to paths this server does not serve ({@code METHOD path}), so tests can assert there were none. */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpectedRequests);
    }

    @Override
    public void close() {
        FakeHttpExchanges.stop(server);
        try {
            duckDb.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot close DuckDB", e);
        }
    }

    @Override
    public String toString() {
        return "TestingBigQueryServer[" + url() + "]";
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            requests.add(method + " " + path + (rawQuery == null ? "" : "?" + rawQuery));
            if (method.equals("POST") && path.equals("/token")) {
                token(exchange);
                return;
            }
            if (!path.startsWith(API)) {
                unexpected(exchange);
                return;
            }
            try {
                String email = authenticate(exchange);
                injectFailure();
                List<String> segments = new ArrayList<>();
                for (String segment : path.substring(API.length()).split("/")) {
                    segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
                }
                Map<String, String> parameters = FakeHttpExchanges.decodePairs(rawQuery);
                ObjectNode answer = route(exchange, method, segments, parameters, email);
                if (answer == null) {
                    unexpected(exchange);
                    return;
                }
                send(exchange, 200, answer);
            } catch (BigQueryFakeError e) {
                send(exchange, e.httpCode(), errorBody(e));
            }
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 so the client fails visibly rather than waiting.
            exchange.sendResponseHeaders(500, -1);
            throw e;
        }
    }

    private ObjectNode route(HttpExchange exchange, String method, List<String> segments,
            Map<String, String> parameters, String email) throws IOException {
        int size = segments.size();
        String project = segments.get(0);
        if (method.equals("POST") && size == 2 && segments.get(1).equals("queries")) {
            return query(project, readBody(exchange), email);
        }
        if (method.equals("POST") && size == 2 && segments.get(1).equals("jobs")) {
            return insertJob(project, readBody(exchange), email);
        }
        if (method.equals("GET") && size == 3 && segments.get(1).equals("queries")) {
            return queryResults(job(project, segments.get(2)), parameters);
        }
        if (method.equals("GET") && size == 3 && segments.get(1).equals("jobs")) {
            return jobResource(job(project, segments.get(2)));
        }
        if (method.equals("GET") && size == 3 && segments.get(1).equals("datasets")) {
            return dataset(project, segments.get(2));
        }
        if (method.equals("GET") && size == 5 && segments.get(1).equals("datasets")
                && segments.get(3).equals("tables")) {
            return tableResource(project, segments.get(2), segments.get(4), email);
        }
        if (method.equals("GET") && size == 6 && segments.get(1).equals("datasets")
                && segments.get(3).equals("tables") && segments.get(5).equals("data")) {
            return tableData(project, segments.get(2), segments.get(4), parameters, email);
        }
        return null;
    }

    private void unexpected(HttpExchange exchange) throws IOException {
        unexpectedRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        send(exchange, 404, errorBody(BigQueryFakeError.notFound("The fake BigQuery server does not serve "
                + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath())));
    }

    private static void send(HttpExchange exchange, int status, ObjectNode answer) throws IOException {
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static ObjectNode errorBody(BigQueryFakeError error) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode inner = body.putObject("error");
        inner.put("code", error.httpCode());
        inner.put("message", error.getMessage());
        ObjectNode detail = inner.putArray("errors").addObject();
        detail.put("message", error.getMessage());
        detail.put("domain", "global");
        detail.put("reason", error.reason());
        inner.put("status", error.status());
        return body;
    }

    private byte[] readBytes(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            gzipRequestBodies.incrementAndGet();
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = readBytes(exchange);
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private void injectFailure() {
        String reason;
        synchronized (failureLock) {
            if (failuresLeft <= 0) {
                return;
            }
            failuresLeft--;
            reason = failureReason;
        }
        throw BigQueryFakeError.injected(reason);
    }

    // ---- OAuth

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = FakeHttpExchanges.decodePairs(new String(readBytes(exchange), StandardCharsets.UTF_8));
        ObjectNode answer = JSON.createObjectNode();
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            answer.put("error", "unsupported_grant_type");
            answer.put("error_description", "Invalid grant_type: " + form.get("grant_type"));
            send(exchange, 400, answer);
            return;
        }
        Optional<String> refusal = verifyAssertion(form.getOrDefault("assertion", ""));
        if (refusal.isPresent()) {
            answer.put("error", refusal.get().startsWith("Invalid OAuth scope") ? "invalid_scope" : "invalid_grant");
            answer.put("error_description", refusal.get());
            send(exchange, 400, answer);
            return;
        }
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = "ya29.cdi-fake-" + Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        tokens.put(token, issuer(form.get("assertion")));
        tokensIssued.incrementAndGet();
        answer.put("access_token", token);
        answer.put("expires_in", 3600);
        answer.put("token_type", "Bearer");
        send(exchange, 200, answer);
    }

    private static String issuer(String assertion) throws IOException {
        String[] parts = assertion.split("\\.");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("iss").asText();
    }

    /** Checks a JWT bearer assertion; returns Google's error description when it is refused. */
    private Optional<String> verifyAssertion(String assertion) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return Optional.of("Invalid JWT Signature.");
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Account account = accounts.get(claims.path("iss").asText());
            if (!header.path("alg").asText().equals("RS256") || account == null) {
                return Optional.of("Invalid JWT Signature.");
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(account.publicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.of("Invalid JWT Signature.");
            }
            String audience = claims.path("aud").asText();
            if (!audience.equals(GOOGLE_TOKEN_AUDIENCE) && !audience.equals(tokenUri())) {
                return Optional.of("Invalid JWT: Failed audience check. The right audience is "
                        + GOOGLE_TOKEN_AUDIENCE);
            }
            long now = Instant.now().getEpochSecond();
            if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= now
                    || claims.path("exp").asLong() - claims.path("iat").asLong(now) > 3600) {
                return Optional.of("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
                        + " timeframe. Check your iat and exp values in the JWT claim.");
            }
            if (claims.path("scope").asText().isBlank()) {
                return Optional.of("Invalid OAuth scope or ID token audience provided.");
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.of("Invalid JWT Signature.");
        }
    }

    private String authenticate(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw BigQueryFakeError.unauthenticated();
        }
        String email = tokens.get(authorization.substring(7).strip());
        if (email == null) {
            throw new BigQueryFakeError(401, "authError", "UNAUTHENTICATED",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or"
                            + " other valid authentication credential.");
        }
        return email;
    }

    // ---- Metadata

    private ObjectNode dataset(String project, String dataset) {
        boolean exists = tables.values().stream()
                .anyMatch(table -> table.project().equals(project) && table.dataset().equals(dataset));
        if (!exists) {
            throw BigQueryFakeError.notFound("Not found: Dataset " + project + ":" + dataset);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#dataset");
        answer.put("id", project + ":" + dataset);
        ObjectNode reference = answer.putObject("datasetReference");
        reference.put("projectId", project);
        reference.put("datasetId", dataset);
        answer.put("location", "US");
        return answer;
    }

    private ObjectNode tableResource(String project, String dataset, String name, String email) {
        Table table = readable(List.of(project, dataset, name), email, "bigquery.tables.get");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#table");
        answer.put("id", project + ":" + dataset + "." + name);
        ObjectNode reference = answer.putObject("tableReference");
        reference.put("projectId", project);
        reference.put("datasetId", dataset);
        reference.put("tableId", name);
        ArrayNode fields = answer.putObject("schema").putArray("fields");
        for (Column column : table.columns()) {
            schemaField(fields, column.name(), column.type());
        }
        long[] sizes = columnBytes(table, table.columns());
        answer.put("numBytes", String.valueOf(sizes[0]));
        answer.put("numRows", String.valueOf(sizes[1]));
        answer.put("type", "TABLE");
        answer.put("location", "US");
        String partitionField = partitioning.get(table.qualifiedName());
        if (partitionField != null) {
            ObjectNode partition = answer.putObject("timePartitioning");
            partition.put("type", "DAY");
            partition.put("field", partitionField);
        }
        List<String> clusterFields = clustering.get(table.qualifiedName());
        if (clusterFields != null) {
            ArrayNode array = answer.putObject("clustering").putArray("fields");
            clusterFields.forEach(array::add);
        }
        return answer;
    }

    private static void schemaField(ArrayNode fields, String name, ColumnType type) {
        ObjectNode field = fields.addObject();
        field.put("name", name);
        field.put("type", type.restName());
        field.put("mode", "NULLABLE");
        if (!type.fields().isEmpty()) {
            ArrayNode nested = field.putArray("fields");
            for (Column column : type.fields()) {
                schemaField(nested, column.name(), column.type());
            }
        }
    }

    // ---- Queries and jobs

    private ObjectNode query(String project, JsonNode body, String email) {
        Job job = createJob(project, body, body, body.path("dryRun").asBoolean(false), email,
                "job_" + nextJob.getAndIncrement() + "_" + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#queryResponse");
        jobReference(answer.putObject("jobReference"), job);
        if (job.dryRun) {
            answer.put("jobComplete", true);
            answer.set("schema", JSON.createObjectNode().set("fields", job.schema));
            answer.put("totalBytesProcessed", String.valueOf(job.bytesProcessed));
            return answer;
        }
        if (!job.done()) {
            answer.put("jobComplete", false);
            return answer;
        }
        long maxResults = body.has("maxResults") ? body.path("maxResults").asLong() : pageRows;
        page(answer, job, 0, maxResults, useInt64Timestamp(body.path("formatOptions")));
        return answer;
    }

    private ObjectNode insertJob(String project, JsonNode body, String email) {
        JsonNode configuration = body.path("configuration");
        JsonNode queryConfiguration = configuration.path("query");
        if (queryConfiguration.isMissingNode()) {
            throw BigQueryFakeError.invalid("The fake BigQuery server serves query jobs only");
        }
        String jobId = body.path("jobReference").path("jobId").asText("");
        if (jobId.isEmpty()) {
            jobId = "job_" + nextJob.getAndIncrement();
        }
        if (jobs.containsKey(project + ":" + jobId)) {
            throw new BigQueryFakeError(409, "duplicate", "ALREADY_EXISTS", "Already Exists: Job " + project + ":US."
                    + jobId);
        }
        ObjectNode merged = queryConfiguration.deepCopy();
        merged.set("labels", configuration.path("labels"));
        Job job = createJob(project, merged, configuration.path("query"), configuration.path("dryRun").asBoolean(false),
                email, jobId);
        return jobResource(job);
    }

    private static boolean useInt64Timestamp(JsonNode formatOptions) {
        return formatOptions.path("useInt64Timestamp").asBoolean(false);
    }

    private Job createJob(String project, JsonNode request, JsonNode configuration, boolean dryRun, String email,
            String jobId) {
        String sql = request.path("query").asText("");
        Map<String, String> labels = new LinkedHashMap<>();
        request.path("labels").properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        String location = request.path("location").asText("US");
        Instant created = Instant.now();
        try {
            if (request.path("useLegacySql").asBoolean(false)) {
                throw BigQueryFakeError.notUnderstood("legacy SQL (set useLegacySql to false)");
            }
            Map<String, JsonNode> parameters = namedParameters(request);
            String defaultProject = request.path("defaultDataset").path("projectId").asText(project);
            String defaultDataset = request.path("defaultDataset").path("datasetId").asText("");
            Translation translation = BigQueryFakeSql.translate(sql, parts -> {
                List<String> full = new ArrayList<>(parts);
                if (full.size() == 1 && !defaultDataset.isEmpty()) {
                    full.add(0, defaultDataset);
                }
                if (full.size() == 2) {
                    full.add(0, defaultProject);
                }
                if (full.size() != 3) {
                    throw BigQueryFakeError.invalidQuery("Table \"" + String.join(".", parts)
                            + "\" must be qualified with a dataset (e.g. dataset.table).");
                }
                return readable(full, email, "bigquery.tables.getData");
            }, "CAST(" + literal(timestampText(clock.instant())) + " AS TIMESTAMPTZ)");
            for (String name : translation.parameters()) {
                if (!parameters.containsKey(name)) {
                    throw BigQueryFakeError.invalidQuery("Query parameter '" + name + "' not found");
                }
            }
            long bytesProcessed = translation.table()
                    .map(table -> columnBytes(table, List.copyOf(translation.referenced()))[0]).orElse(0L);
            long bytesBilled = translation.table().isEmpty() ? 0
                    : Math.max(MINIMUM_BYTES_BILLED_PER_TABLE, ((bytesProcessed + (1 << 20) - 1) >> 20) << 20);
            if (request.hasNonNull("maximumBytesBilled")) {
                long limit = request.path("maximumBytesBilled").asLong();
                if (bytesBilled > limit) {
                    throw BigQueryFakeError.bytesBilledLimitExceeded(limit, bytesBilled);
                }
            }
            String resultTable = "results." + BigQueryFakeSql.quote(jobId);
            try (Connection connection = duckDb.duplicate()) {
                ArrayNode schema;
                long totalRows = 0;
                if (dryRun) {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT * FROM (" + translation.duckDbSql() + ") LIMIT 0")) {
                        bind(statement, translation.parameters(), parameters);
                        try (ResultSet rows = statement.executeQuery()) {
                            schema = resultSchema(rows.getMetaData());
                        }
                    }
                } else {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "CREATE TABLE " + resultTable + " AS " + translation.duckDbSql())) {
                        bind(statement, translation.parameters(), parameters);
                        statement.execute();
                    }
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT * FROM " + resultTable + " LIMIT 0")) {
                        schema = resultSchema(rows.getMetaData());
                    }
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + resultTable)) {
                        rows.next();
                        totalRows = rows.getLong(1);
                    }
                }
                Instant ready = dryRun || translation.table().isEmpty() ? created : created.plus(jobDelay);
                Job job = new Job(jobId, project, location, email, sql, labels, configuration, dryRun, created, ready,
                        bytesProcessed, dryRun ? 0 : bytesBilled, dryRun ? null : resultTable, schema, totalRows,
                        null);
                jobs.put(project + ":" + jobId, job);
                history.add(job);
                return job;
            } catch (SQLException e) {
                throw BigQueryFakeError.invalidQuery("DuckDB refused the translated query: " + e.getMessage());
            }
        } catch (BigQueryFakeError e) {
            history.add(new Job(jobId, project, location, email, sql, labels, configuration, dryRun, created, created,
                    0, 0, null, JSON.createArrayNode(), 0, e));
            throw e;
        }
    }

    private static Map<String, JsonNode> namedParameters(JsonNode request) {
        Map<String, JsonNode> parameters = new HashMap<>();
        for (JsonNode parameter : request.path("queryParameters")) {
            if (!parameter.hasNonNull("name")) {
                throw BigQueryFakeError.notUnderstood("positional query parameters; it serves named parameters");
            }
            parameters.put(parameter.path("name").asText(), parameter);
        }
        return parameters;
    }

    private static void bind(PreparedStatement statement, List<String> names, Map<String, JsonNode> parameters)
            throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            JsonNode parameter = parameters.get(names.get(i));
            String type = parameter.path("parameterType").path("type").asText();
            JsonNode value = parameter.path("parameterValue").path("value");
            if (value.isMissingNode() || value.isNull()) {
                statement.setObject(i + 1, null);
                continue;
            }
            String text = value.asText();
            switch (type) {
                case "TIMESTAMP" -> statement.setObject(i + 1, text);
                case "DATETIME", "DATE", "STRING", "JSON" -> statement.setString(i + 1, text);
                case "INT64" -> statement.setLong(i + 1, Long.parseLong(text));
                case "BOOL" -> statement.setBoolean(i + 1, Boolean.parseBoolean(text));
                case "FLOAT64" -> statement.setDouble(i + 1, Double.parseDouble(text));
                case "NUMERIC" -> statement.setBigDecimal(i + 1, new BigDecimal(text));
                default -> throw BigQueryFakeError.notUnderstood("query parameters of type " + type);
            }
        }
    }

    private static ArrayNode resultSchema(ResultSetMetaData metaData) throws SQLException {
        ArrayNode fields = JSON.createArrayNode();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            String duckDbType = metaData.getColumnTypeName(i).toUpperCase(Locale.ROOT);
            String restName;
            if (duckDbType.startsWith("DECIMAL")) {
                restName = "NUMERIC";
            } else {
                restName = switch (duckDbType) {
                    case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
                    case "TIMESTAMP" -> "DATETIME";
                    case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT" -> "INTEGER";
                    case "VARCHAR" -> "STRING";
                    case "JSON" -> "JSON";
                    case "BOOLEAN" -> "BOOLEAN";
                    case "DOUBLE", "FLOAT" -> "FLOAT";
                    case "DATE" -> "DATE";
                    default -> throw BigQueryFakeError.notUnderstood("a result column of DuckDB type " + duckDbType
                            + " (select STRUCT columns through TO_JSON_STRING)");
                };
            }
            ObjectNode field = fields.addObject();
            field.put("name", metaData.getColumnLabel(i));
            field.put("type", restName);
            field.put("mode", "NULLABLE");
        }
        return fields;
    }

    private Job job(String project, String jobId) {
        Job job = jobs.get(project + ":" + jobId);
        if (job == null) {
            throw BigQueryFakeError.notFound("Not found: Job " + project + ":US." + jobId);
        }
        return job;
    }

    private static void jobReference(ObjectNode reference, Job job) {
        reference.put("projectId", job.project);
        reference.put("jobId", job.id);
        reference.put("location", job.location);
    }

    private ObjectNode jobResource(Job job) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#job");
        answer.put("id", job.project + ":" + job.location + "." + job.id);
        jobReference(answer.putObject("jobReference"), job);
        ObjectNode configuration = answer.putObject("configuration");
        configuration.put("jobType", "QUERY");
        if (job.dryRun) {
            configuration.put("dryRun", true);
        }
        ObjectNode labels = configuration.putObject("labels");
        job.labels.forEach(labels::put);
        ObjectNode query = configuration.putObject("query");
        query.put("query", job.query);
        query.put("useLegacySql", false);
        if (job.parameters.has("queryParameters")) {
            query.set("queryParameters", job.parameters.path("queryParameters"));
            query.put("parameterMode", "NAMED");
        }
        if (job.resultTable != null) {
            ObjectNode destination = query.putObject("destinationTable");
            destination.put("projectId", job.project);
            destination.put("datasetId", RESULTS_DATASET);
            destination.put("tableId", job.id);
        }
        boolean done = job.done();
        answer.putObject("status").put("state", done ? "DONE" : "RUNNING");
        ObjectNode statistics = answer.putObject("statistics");
        statistics.put("creationTime", String.valueOf(job.created.toEpochMilli()));
        statistics.put("startTime", String.valueOf(job.created.toEpochMilli()));
        if (done) {
            statistics.put("endTime", String.valueOf(job.ready.toEpochMilli()));
        }
        statistics.put("totalBytesProcessed", String.valueOf(job.bytesProcessed));
        ObjectNode queryStatistics = statistics.putObject("query");
        queryStatistics.put("totalBytesProcessed", String.valueOf(job.bytesProcessed));
        queryStatistics.put("totalBytesBilled", String.valueOf(job.bytesBilled));
        queryStatistics.put("cacheHit", false);
        queryStatistics.put("statementType", "SELECT");
        queryStatistics.set("schema", JSON.createObjectNode().set("fields", job.schema));
        answer.put("user_email", job.email);
        return answer;
    }

    private ObjectNode queryResults(Job job, Map<String, String> parameters) {
        if (job.dryRun) {
            throw BigQueryFakeError.invalid("Cannot get the results of a dry run job " + job.id);
        }
        long timeoutMs = parameters.containsKey("timeoutMs") ? Long.parseLong(parameters.get("timeoutMs"))
                : DEFAULT_POLL_TIMEOUT.toMillis();
        // Like BigQuery, a poll waits for the job up to its timeout; the job's end is fixed when it starts.
        long waitMs = Math.min(timeoutMs, Duration.between(Instant.now(), job.ready).toMillis());
        if (waitMs > 0) {
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BigQueryFakeError.injected("backendError");
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#getQueryResultsResponse");
        jobReference(answer.putObject("jobReference"), job);
        if (!job.done()) {
            answer.put("jobComplete", false);
            return answer;
        }
        long start = parameters.containsKey("pageToken") ? offset(parameters.get("pageToken"))
                : Long.parseLong(parameters.getOrDefault("startIndex", "0"));
        long maxResults = parameters.containsKey("maxResults") ? Long.parseLong(parameters.get("maxResults"))
                : pageRows;
        page(answer, job, start, maxResults, "true".equals(parameters.get("formatOptions.useInt64Timestamp")));
        return answer;
    }

    private ObjectNode tableData(String project, String dataset, String name, Map<String, String> parameters,
            String email) {
        long start = parameters.containsKey("pageToken") ? offset(parameters.get("pageToken"))
                : Long.parseLong(parameters.getOrDefault("startIndex", "0"));
        long maxResults = parameters.containsKey("maxResults") ? Long.parseLong(parameters.get("maxResults"))
                : pageRows;
        boolean int64 = "true".equals(parameters.get("formatOptions.useInt64Timestamp"));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kind", "bigquery#tableDataList");
        if (dataset.equals(RESULTS_DATASET)) {
            Job job = job(project, name);
            if (!job.email.equals(email)) {
                throw BigQueryFakeError.accessDenied("Access Denied: Table " + project + ":" + dataset + "." + name
                        + ": Permission bigquery.tables.getData denied");
            }
            rows(answer, job.resultTable, job.schema, job.totalRows, start, maxResults, int64);
        } else {
            Table table = readable(List.of(project, dataset, name), email, "bigquery.tables.getData");
            ArrayNode schema = JSON.createArrayNode();
            for (Column column : table.columns()) {
                schemaField(schema, column.name(), column.type());
            }
            rows(answer, table.duckDbName(), schema, columnBytes(table, List.of())[1], start, maxResults, int64);
        }
        answer.remove("schema");
        return answer;
    }

    private void page(ObjectNode answer, Job job, long start, long maxResults, boolean int64) {
        answer.set("schema", JSON.createObjectNode().set("fields", job.schema));
        answer.put("jobComplete", true);
        answer.put("totalBytesProcessed", String.valueOf(job.bytesProcessed));
        answer.put("cacheHit", false);
        rows(answer, job.resultTable, job.schema, job.totalRows, start, maxResults, int64);
    }

    /** Reads one page of a relation from DuckDB into {@code rows}, and {@code pageToken} when more follow. */
    private void rows(ObjectNode answer, String relation, ArrayNode schema, long totalRows, long start,
            long maxResults, boolean int64) {
        answer.put("totalRows", String.valueOf(totalRows));
        long limit = Math.min(maxResults, pageRows);
        if (limit <= 0 || start >= totalRows) {
            return;
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < schema.size(); i++) {
            String column = BigQueryFakeSql.quote(schema.get(i).path("name").asText());
            String type = schema.get(i).path("type").asText();
            select.append(i == 0 ? "" : ", ").append(switch (type) {
                case "TIMESTAMP" -> "epoch_us(" + column + ")";
                case "DATETIME" -> "strftime(" + column + ", '%Y-%m-%dT%H:%M:%S.%f')";
                case "RECORD" -> "CAST(to_json(" + column + ") AS VARCHAR)";
                default -> "CAST(" + column + " AS VARCHAR)";
            });
        }
        select.append(" FROM ").append(relation).append(" LIMIT ").append(limit).append(" OFFSET ").append(start);
        ArrayNode rows = answer.putArray("rows");
        long served = 0;
        long characters = 0;
        try (Connection connection = duckDb.duplicate(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(select.toString())) {
            while (resultSet.next()) {
                ArrayNode cells = rows.addObject().putArray("f");
                for (int i = 0; i < schema.size(); i++) {
                    ObjectNode cell = cells.addObject();
                    String type = schema.get(i).path("type").asText();
                    if (type.equals("TIMESTAMP")) {
                        long micros = resultSet.getLong(i + 1);
                        if (resultSet.wasNull()) {
                            cell.putNull("v");
                        } else {
                            String text = int64 ? String.valueOf(micros) : floatSeconds(micros);
                            characters += text.length();
                            cell.put("v", text);
                        }
                    } else {
                        String text = resultSet.getString(i + 1);
                        if (text == null) {
                            cell.putNull("v");
                        } else {
                            if (type.equals("DATETIME") && text.endsWith(".000000")) {
                                text = text.substring(0, text.length() - 7);
                            }
                            characters += text.length();
                            cell.put("v", text);
                        }
                    }
                }
                served++;
                if (characters >= MAX_PAGE_CHARS) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + relation + ": " + e.getMessage(), e);
        }
        pagesServed.incrementAndGet();
        largestPageRows.accumulateAndGet((int) served, Math::max);
        if (start + served < totalRows) {
            answer.put("pageToken", "cdi-page-" + (start + served));
        }
    }

    private static long offset(String pageToken) {
        if (!pageToken.startsWith("cdi-page-")) {
            throw BigQueryFakeError.invalid("Invalid page token: " + pageToken);
        }
        try {
            return Long.parseLong(pageToken.substring("cdi-page-".length()));
        } catch (NumberFormatException e) {
            throw BigQueryFakeError.invalid("Invalid page token: " + pageToken);
        }
    }

    /** Seconds since the epoch with the microseconds as a fraction, in the E notation BigQuery's REST API uses. */
    static String floatSeconds(long micros) {
        if (micros == 0) {
            return "0.0";
        }
        BigDecimal seconds = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        int exponent = seconds.precision() - seconds.scale() - 1;
        String mantissa = seconds.movePointLeft(exponent).toPlainString();
        if (!mantissa.contains(".")) {
            mantissa = mantissa + ".0";
        }
        return mantissa + "E" + exponent;
    }

    /**
     * BigQuery's data size of some columns of a table and its row count, computed by scanning it: {@code [bytes,
     * rows]}.
     */
    private long[] columnBytes(Table table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Column column : columns) {
            String name = BigQueryFakeSql.quote(column.name());
            sql.append(", ");
            if (column.type().variableLength()) {
                // strlen counts UTF-8 bytes; a cast to BLOB would refuse non-ASCII text.
                sql.append("coalesce(sum(").append(column.type().fixedBytes()).append(" + strlen(CAST(")
                        .append(name).append(" AS VARCHAR))), 0)");
            } else if (column.type().restName().equals("RECORD")) {
                sql.append("coalesce(sum(strlen(CAST(to_json(").append(name).append(") AS VARCHAR))), 0)");
            } else {
                sql.append("count(").append(name).append(") * ").append(column.type().fixedBytes());
            }
        }
        sql.append(" FROM ").append(table.duckDbName());
        try (Connection connection = duckDb.duplicate(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql.toString())) {
            rows.next();
            long bytes = 0;
            for (int i = 0; i < columns.size(); i++) {
                bytes += rows.getLong(i + 2);
            }
            return new long[] {bytes, rows.getLong(1)};
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot measure " + table.qualifiedName() + ": " + e.getMessage(), e);
        }
    }

    private Table readable(List<String> parts, String email, String permission) {
        String qualified = String.join(".", parts);
        Table table = tables.get(qualified);
        if (table == null) {
            boolean datasetExists = tables.values().stream()
                    .anyMatch(t -> t.project().equals(parts.get(0)) && t.dataset().equals(parts.get(1)));
            throw datasetExists ? BigQueryFakeError.tableNotFound(parts.get(0), parts.get(1), parts.get(2))
                    : BigQueryFakeError.notFound("Not found: Dataset " + parts.get(0) + ":" + parts.get(1));
        }
        if (revoked.contains(email + "\0" + qualified)) {
            throw BigQueryFakeError.accessDenied("Access Denied: Table " + parts.get(0) + ":" + parts.get(1) + "."
                    + parts.get(2) + ": Permission " + permission + " denied on table " + parts.get(0) + ":"
                    + parts.get(1) + "." + parts.get(2) + " (or it may not exist).");
        }
        return table;
    }

    // ---- Helpers

    private void register(Table table, String ddl) {
        synchronized (tables) {
            if (tables.containsKey(table.qualifiedName())) {
                throw new IllegalArgumentException("Table exists: " + table.qualifiedName());
            }
            execute(ddl);
            tables.put(table.qualifiedName(), table);
        }
    }

    private Table table(String name) {
        Table table = tables.get(String.join(".", qualifiedParts(name)));
        if (table == null) {
            throw new IllegalArgumentException("No such table: " + name);
        }
        return table;
    }

    private static List<String> qualifiedParts(String name) {
        List<String> parts = BigQueryFakeSql.nameParts(name);
        if (parts.size() != 3) {
            throw new IllegalArgumentException("Give project.dataset.table: " + name);
        }
        return parts;
    }

    private static String timestampText(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDateTime() + "+00:00";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
