package dev.cdi.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics.QueryStatistics;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.cdi.testkit.TestingBigQueryServer.JobHistoryEntry;
import dev.cdi.testkit.TestingBigQueryServer.ServiceAccount;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestingBigQueryServerTest {

    private static final String PROJECT = "cdi-test";
    private static final String TABLE = "cdi-test.sales.users";
    private static final String EMAIL = "cdi-reader@cdi-test.iam.gserviceaccount.com";
    // 2024-01-01T00:00:00.123456Z and two later instants, at microsecond precision.
    private static final Instant FIRST = Instant.parse("2024-01-01T00:00:00.123456Z");
    private static final Instant SECOND = Instant.parse("2024-01-02T03:04:05.000001Z");
    private static final Instant THIRD = Instant.parse("2024-01-03T00:00:00Z");
    private static final String RANGE_QUERY = "SELECT UNIX_MICROS(`UPDATED_AT`), `EXTERNAL_ID`, TO_JSON_STRING(`PAYLOAD`)"
            + " FROM `cdi-test.sales.users` WHERE `UPDATED_AT` >= @p0 AND `UPDATED_AT` <= @p1 ORDER BY `UPDATED_AT`";

    private TestingBigQueryServer server;
    private ServiceAccount account;
    private BigQuery bigQuery;

    @BeforeEach
    void setUp() throws IOException {
        server = TestingBigQueryServer.start();
        account = server.createServiceAccount(EMAIL);
        server.createTable(TABLE, "UPDATED_AT TIMESTAMP, EXTERNAL_ID STRING, PAYLOAD JSON, ACTIVE BOOL, SCORE INT64");
        server.insert(TABLE,
                new Object[] {FIRST, "a", "{\"name\":\"Ada\"}", true, 1L},
                new Object[] {SECOND, "b", "{\"name\":\"Bob\"}", false, 2L},
                new Object[] {THIRD, "c", null, null, null},
                new Object[] {null, "d", "{}", true, 4L});
        bigQuery = client(account.keyJson());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private BigQuery client(String keyJson) throws IOException {
        RetrySettings retries = ServiceOptions.getDefaultRetrySettings().toBuilder()
                .setInitialRetryDelayDuration(Duration.ofMillis(10))
                .setMaxRetryDelayDuration(Duration.ofMillis(50))
                .build();
        return BigQueryOptions.newBuilder()
                .setProjectId(PROJECT)
                .setHost(server.url())
                .setLocation("US")
                .setRetrySettings(retries)
                .setCredentials(ServiceAccountCredentials.fromStream(new ByteArrayInputStream(keyJson.getBytes(UTF_8))))
                .build()
                .getService();
    }

    private static List<List<Object>> values(TableResult result) {
        List<List<Object>> rows = new ArrayList<>();
        for (FieldValueList row : result.iterateAll()) {
            List<Object> values = new ArrayList<>();
            row.forEach(value -> values.add(value.isNull() ? null : value.getValue()));
            rows.add(values);
        }
        return rows;
    }

    @Test
    void theServiceAccountJwtFlowRunsAndRequestBodiesAreGzipped() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00.654321Z");
        server.freezeTimeAt(now);

        TableResult result = bigQuery.query(QueryJobConfiguration.of("SELECT UNIX_MICROS(CURRENT_TIMESTAMP())"));

        assertThat(values(result)).containsExactly(List.of(String.valueOf(now.getEpochSecond() * 1_000_000 + 654_321)));
        assertThat(server.tokensIssued()).isEqualTo(1);
        assertThat(server.gzipRequestBodies()).isPositive();
        assertThat(server.requests()).contains("POST /token").anyMatch(r -> r.startsWith(
                "POST /bigquery/v2/projects/cdi-test/queries"));
        assertThat(server.unexpectedRequests()).isEmpty();
    }

    @Test
    void aKeyOfAnotherAccountIsRefusedWithInvalidGrant() throws Exception {
        ServiceAccount other = server.createServiceAccount("other@cdi-test.iam.gserviceaccount.com");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode forged =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(other.keyJson());
        forged.put("client_email", EMAIL);
        BigQuery impostor = client(json.writeValueAsString(forged));

        assertThatThrownBy(() -> impostor.getTable(TableId.of(PROJECT, "sales", "users")))
                .isInstanceOf(BigQueryException.class)
                .hasMessageContaining("invalid_grant")
                .hasMessageContaining("Invalid JWT Signature.");
        assertThat(server.tokensIssued()).isZero();
    }

    @Test
    void aCallWithoutTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.url() + "/bigquery/v2/projects/cdi-test/datasets/sales/tables/users")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = new ObjectMapper().readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(401);
        assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.path("errors").get(0).path("reason").asText()).isEqualTo("unauthorized");
    }

    @Test
    void tableMetadataHasSchemaSizePartitioningAndClustering() {
        server.setPartitioning(TABLE, "UPDATED_AT");
        server.setClustering(TABLE, List.of("EXTERNAL_ID"));

        Table table = bigQuery.getTable(TableId.of(PROJECT, "sales", "users"));

        StandardTableDefinition definition = table.getDefinition();
        assertThat(definition.getSchema().getFields().get("UPDATED_AT").getType()).isEqualTo(LegacySQLTypeName.TIMESTAMP);
        assertThat(definition.getSchema().getFields().get("PAYLOAD").getType()).isEqualTo(LegacySQLTypeName.JSON);
        assertThat(definition.getSchema().getFields().get("ACTIVE").getType()).isEqualTo(LegacySQLTypeName.BOOLEAN);
        assertThat(definition.getSchema().getFields().get("SCORE").getType()).isEqualTo(LegacySQLTypeName.INTEGER);
        assertThat(definition.getNumRows()).isEqualTo(4);
        // TIMESTAMP 3 x 8, STRING 4 x (2 + 1), JSON 14 + 14 + 2 + 2 x 3, BOOL 3 x 1, INT64 3 x 8.
        assertThat(definition.getNumBytes()).isEqualTo(24 + 12 + 36 + 3 + 24);
        assertThat(definition.getTimePartitioning().getField()).isEqualTo("UPDATED_AT");
        assertThat(definition.getTimePartitioning().getType().name()).isEqualTo("DAY");
        assertThat(definition.getClustering().getFields()).containsExactly("EXTERNAL_ID");
    }

    @Test
    void aParameterizedRangeQueryKeepsExactMicroseconds() throws Exception {
        QueryJobConfiguration query = QueryJobConfiguration.newBuilder(RANGE_QUERY)
                .addNamedParameter("p0", QueryParameterValue.timestamp(micros(FIRST)))
                .addNamedParameter("p1", QueryParameterValue.timestamp(micros(SECOND)))
                .build();

        assertThat(values(bigQuery.query(query))).containsExactly(
                List.of(String.valueOf(micros(FIRST)), "a", "{\"name\":\"Ada\"}"),
                List.of(String.valueOf(micros(SECOND)), "b", "{\"name\":\"Bob\"}"));

        // A TIMESTAMP value itself, as the client decodes it (float seconds, exact through BigDecimal).
        TableResult timestamps = bigQuery.query(QueryJobConfiguration.of(
                "SELECT `UPDATED_AT`, `ACTIVE` FROM `cdi-test`.`sales`.`users` WHERE `UPDATED_AT` IS NOT NULL"
                        + " ORDER BY `UPDATED_AT`"));
        List<Long> decoded = new ArrayList<>();
        for (FieldValueList row : timestamps.iterateAll()) {
            decoded.add(row.get(0).getTimestampValue());
        }
        assertThat(decoded).containsExactly(micros(FIRST), micros(SECOND), micros(THIRD));
        assertThat(TestingBigQueryServer.floatSeconds(micros(FIRST))).isEqualTo("1.704067200123456E9");
        assertThat(TestingBigQueryServer.floatSeconds(micros(THIRD))).isEqualTo("1.70424E9");
    }

    @Test
    void countsAndSumsAndNullChecks() throws Exception {
        TableResult result = bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*),"
                + " SUM(CASE WHEN `PAYLOAD` IS NULL THEN 1 ELSE 0 END) FROM `cdi-test.sales.users`"
                + " WHERE (`UPDATED_AT` IS NULL) OR (`EXTERNAL_ID` >= 'b')"));

        assertThat(values(result)).containsExactly(List.of("3", "1"));
        assertThat(result.getSchema().getFields().get(0).getName()).isEqualTo("f0_");
    }

    @Test
    void aDryRunReportsTheBytesOfTheReferencedColumns() {
        Job job = bigQuery.create(JobInfo.of(QueryJobConfiguration.newBuilder(RANGE_QUERY)
                .addNamedParameter("p0", QueryParameterValue.timestamp(micros(FIRST)))
                .addNamedParameter("p1", QueryParameterValue.timestamp(micros(SECOND)))
                .setDryRun(true)
                .build()));

        QueryStatistics statistics = job.getStatistics();
        assertThat(statistics.getTotalBytesProcessed()).isEqualTo(24 + 12 + 36);
        assertThat(server.jobHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.dryRun()).isTrue();
            assertThat(entry.totalBytesProcessed()).isEqualTo(72);
        });
    }

    @Test
    void aQueryOverMaximumBytesBilledIsRefused() {
        QueryJobConfiguration query = QueryJobConfiguration.newBuilder("SELECT `EXTERNAL_ID` FROM `cdi-test.sales.users`")
                .setMaximumBytesBilled(1_000L)
                .build();

        assertThatThrownBy(() -> bigQuery.query(query))
                .isInstanceOfSatisfying(BigQueryException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getReason()).isEqualTo("bytesBilledLimitExceeded");
                    assertThat(e.getMessage()).contains("10485760 or higher required");
                });
    }

    @Test
    void jobLabelsAreRecorded() throws Exception {
        bigQuery.query(QueryJobConfiguration.newBuilder("SELECT COUNT(*) FROM `cdi-test.sales.users`")
                .setLabels(Map.of("cdi-integration", "users-to-crm"))
                .build());

        JobHistoryEntry entry = server.jobHistory().get(0);
        assertThat(entry.labels()).containsEntry("cdi-integration", "users-to-crm");
        assertThat(entry.serviceAccount()).isEqualTo(EMAIL);
        assertThat(entry.state()).isEqualTo("DONE");
        assertThat(entry.errorReason()).isEmpty();
    }

    @Test
    void aSlowJobIsPolledUntilDone() throws Exception {
        server.setJobDelay(Duration.ofMillis(300));

        TableResult result = bigQuery.query(QueryJobConfiguration.of(
                "SELECT `EXTERNAL_ID` FROM `cdi-test.sales.users` ORDER BY `EXTERNAL_ID` LIMIT 3"));

        assertThat(values(result)).containsExactly(List.of("a"), List.of("b"), List.of("c"));
        assertThat(server.requests()).anyMatch(r -> r.startsWith("GET /bigquery/v2/projects/cdi-test/queries/"))
                .anyMatch(r -> r.startsWith("GET /bigquery/v2/projects/cdi-test/jobs/"))
                .anyMatch(r -> r.contains("/tables/") && r.contains("/data"));
    }

    @Test
    void aLargeResultIsPagedWithBoundedPages() throws Exception {
        server.execute("INSERT INTO " + server.duckDbTableName(TABLE) + " SELECT TIMESTAMPTZ '2024-02-01 00:00:00+00'"
                + " + to_microseconds(i), 'id-' || i, '{\"i\":' || i || '}', i % 2 = 0, i FROM range(100000) t(i)");

        TableResult result = bigQuery.query(QueryJobConfiguration.of("SELECT UNIX_MICROS(`UPDATED_AT`), `EXTERNAL_ID`"
                + " FROM `cdi-test.sales.users` WHERE `UPDATED_AT` >= TIMESTAMP('2024-02-01') ORDER BY `UPDATED_AT`"));

        long count = 0;
        long previous = Long.MIN_VALUE;
        for (FieldValueList row : result.iterateAll()) {
            long micros = row.get(0).getLongValue();
            assertThat(micros).isGreaterThan(previous);
            previous = micros;
            count++;
        }
        assertThat(count).isEqualTo(100_000);
        assertThat(result.getTotalRows()).isEqualTo(100_000);
        assertThat(server.pagesServed()).isGreaterThan(1);
        assertThat(server.largestPageRows()).isLessThanOrEqualTo(TestingBigQueryServer.DEFAULT_PAGE_ROWS);
    }

    @Test
    void errorsCarryBigQueryReasons() {
        assertThatThrownBy(() -> bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM `cdi-test.sales.nope`")))
                .isInstanceOfSatisfying(BigQueryException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getReason()).isEqualTo("notFound");
                });
        assertThat(bigQuery.getTable(TableId.of(PROJECT, "sales", "nope"))).isNull();

        server.revokeAccess(EMAIL, TABLE);
        assertThatThrownBy(() -> bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM `cdi-test.sales.users`")))
                .isInstanceOfSatisfying(BigQueryException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getReason()).isEqualTo("accessDenied");
                });
        server.grantAccess(EMAIL, TABLE);

        assertThatThrownBy(() -> bigQuery.query(QueryJobConfiguration.of(
                "SELECT `EXTERNAL_ID` FROM `cdi-test.sales.users` GROUP BY `EXTERNAL_ID`")))
                .isInstanceOfSatisfying(BigQueryException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getReason()).isEqualTo("invalidQuery");
                    assertThat(e.getMessage()).contains("does not understand");
                });
        assertThat(server.jobHistory()).extracting(entry -> entry.errorReason().orElse(""))
                .containsExactly("notFound", "accessDenied", "invalidQuery");
    }

    @Test
    void anInjectedBackendErrorIsRetriedByTheClient() {
        server.failNextCalls(1, "backendError");

        Table table = bigQuery.getTable(TableId.of(PROJECT, "sales", "users"));

        assertThat(table.getNumRows()).isEqualTo(4);
        assertThat(server.requests()).filteredOn(r -> r.startsWith("GET /bigquery/v2/projects/cdi-test/datasets/"))
                .hasSize(2);
    }

    @Test
    void anInjectedRateLimitOnAQueryIsRetriedByTheClient() throws Exception {
        server.failNextCalls(1, "rateLimitExceeded");

        TableResult result = bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM `cdi-test.sales.users`"));

        assertThat(values(result)).containsExactly(List.of("4"));
        assertThat(server.requests()).filteredOn(r -> r.startsWith("POST /bigquery/v2/projects/cdi-test/queries"))
                .hasSize(2);
    }

    @Test
    void anInjectedBackendErrorOnJobsQueryReachesTheCaller() {
        server.failNextCalls(1, "backendError");

        assertThatThrownBy(() -> bigQuery.query(QueryJobConfiguration.of("SELECT COUNT(*) FROM `cdi-test.sales.users`")))
                .isInstanceOfSatisfying(BigQueryException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(500);
                    assertThat(e.getReason()).isEqualTo("backendError");
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
