package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake Databricks SQL warehouse on the wire, with a plain HTTP client: what it checks and refuses. The real
 * driver runs against it in {@code cdi-databricks}.
 */
class TestingDatabricksServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestingDatabricksServer server;
    private String base;

    @BeforeEach
    void start() {
        server = TestingDatabricksServer.start();
        base = "http://127.0.0.1:" + server.port();
        server.createTable("main.default.users", "updated_at TIMESTAMP, external_id STRING, payload STRING");
        server.insert("main.default.users", new Object[] {"2026-01-02 03:04:05.123456+00", "u1", "{}"});
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String session(String token) throws Exception {
        HttpResponse<String> response = call("POST", "/api/2.0/sql/warehouses/" + TestingDatabricksServer.WAREHOUSE_ID
                + "/sessions", token, "{\"schema\":\"default\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("session_id").asText();
    }

    private JsonNode execute(String token, String session, String sql) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("statement", sql);
        body.put("warehouse_id", TestingDatabricksServer.WAREHOUSE_ID);
        body.put("session_id", session);
        body.put("disposition", "INLINE_OR_EXTERNAL_LINKS");
        body.put("format", "ARROW_STREAM");
        body.putArray("parameters");
        HttpResponse<String> response = call("POST", "/api/2.0/sql/statements/", token, body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void everyApiCallNeedsAValidBearerToken() throws Exception {
        HttpResponse<String> none = call("POST", "/api/2.0/sql/warehouses/" + TestingDatabricksServer.WAREHOUSE_ID
                + "/sessions", null, "{}");
        HttpResponse<String> wrong = call("POST", "/api/2.0/sql/warehouses/" + TestingDatabricksServer.WAREHOUSE_ID
                + "/sessions", "dapi-wrong", "{}");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(session(server.personalAccessToken())).isNotBlank();
    }

    @Test
    void theTokenEndpointChecksTheClientSecretAndItsTokensExpire() throws Exception {
        server.addServicePrincipal("app-1", "s3cret");
        server.setAccessTokenLifetime(Duration.ofSeconds(1));
        HttpResponse<String> refused = token("app-1", "wrong");
        HttpResponse<String> issued = token("app-1", "s3cret");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(issued.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(issued.body());
        assertThat(answer.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.get("expires_in").asLong()).isEqualTo(1);
        String accessToken = answer.get("access_token").asText();
        assertThat(session(accessToken)).isNotBlank();

        Thread.sleep(2_100);
        assertThat(call("POST", "/api/2.0/sql/warehouses/" + TestingDatabricksServer.WAREHOUSE_ID + "/sessions",
                accessToken, "{}").statusCode()).isEqualTo(401);
        String forged = accessToken.substring(0, accessToken.lastIndexOf('.') + 1) + "AAAA";
        assertThat(call("POST", "/api/2.0/sql/warehouses/" + TestingDatabricksServer.WAREHOUSE_ID + "/sessions",
                forged, "{}").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> token(String clientId, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oidc/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret)
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=all-apis")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sqlItDoesNotUnderstandFailsTheStatementNamingWhat() throws Exception {
        String token = server.personalAccessToken();
        String session = session(token);

        JsonNode join = execute(token, session, "SELECT * FROM users u JOIN users v ON u.id = v.id");
        JsonNode function = execute(token, session, "SELECT md5(external_id) FROM users");
        JsonNode missing = execute(token, session, "SELECT * FROM nope");

        assertThat(join.at("/status/state").asText()).isEqualTo("FAILED");
        assertThat(join.at("/status/error/message").asText()).contains("PARSE_SYNTAX_ERROR").contains("'u'");
        assertThat(function.at("/status/error/message").asText()).contains("the function md5");
        assertThat(missing.at("/status/sql_state").asText()).isEqualTo("42P01");
        assertThat(missing.at("/status/error/message").asText()).startsWith("[TABLE_OR_VIEW_NOT_FOUND]");
    }

    @Test
    void resultsAreArrowBehindExternalLinksThatRefuseTheWorkspaceToken() throws Exception {
        String token = server.personalAccessToken();
        JsonNode answer = execute(token, session(token), "SELECT external_id FROM users");

        assertThat(answer.at("/status/state").asText()).isEqualTo("SUCCEEDED");
        assertThat(answer.at("/manifest/format").asText()).isEqualTo("ARROW_STREAM");
        assertThat(answer.at("/manifest/total_row_count").asLong()).isEqualTo(1);
        assertThat(answer.at("/manifest/schema/columns/0/type_name").asText()).isEqualTo("STRING");
        String link = answer.at("/result/external_links/0/external_link").asText();
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> withToken = HTTP.send(HttpRequest.newBuilder(URI.create(link))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> forged = HTTP.send(HttpRequest.newBuilder(URI.create(link.replaceAll("sig=.*", "sig=x")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).startsWith((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF);
        assertThat(withToken.statusCode()).isEqualTo(400);
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void inlineJsonResultsAreRefusedLoudly() throws Exception {
        String token = server.personalAccessToken();
        ObjectNode body = JSON.createObjectNode();
        body.put("statement", "SELECT 1");
        body.put("warehouse_id", TestingDatabricksServer.WAREHOUSE_ID);
        body.put("session_id", session(token));
        body.put("disposition", "INLINE");
        body.put("format", "JSON_ARRAY");

        HttpResponse<String> response = call("POST", "/api/2.0/sql/statements/", token, body.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("ARROW_STREAM behind external links");
    }

    @Test
    void aStoppedWarehouseKeepsStatementsPendingUntilItHasStarted() throws Exception {
        server.stopWarehouse(Duration.ofMillis(600));
        String token = server.personalAccessToken();
        JsonNode answer = execute(token, session(token), "SELECT 1");

        assertThat(answer.at("/status/state").asText()).isEqualTo("PENDING");
        assertThat(server.warehouseState()).isEqualTo(TestingDatabricksServer.WarehouseState.STARTING);
        String id = answer.get("statement_id").asText();
        JsonNode polled = answer;
        for (int i = 0; i < 100 && !polled.at("/status/state").asText().equals("SUCCEEDED"); i++) {
            Thread.sleep(50);
            polled = JSON.readTree(call("GET", "/api/2.0/sql/statements/" + id, token, null).body());
        }
        assertThat(polled.at("/status/state").asText()).isEqualTo("SUCCEEDED");
        assertThat(server.warehouseStarts()).isEqualTo(1);
        assertThat(server.warehouseState()).isEqualTo(TestingDatabricksServer.WarehouseState.RUNNING);
    }

    @Test
    void aRunningStatementCanBeCancelled() throws Exception {
        server.setQueryDelay(Duration.ofSeconds(5));
        String token = server.personalAccessToken();
        JsonNode answer = execute(token, session(token), "SELECT 1");
        String id = answer.get("statement_id").asText();

        assertThat(call("POST", "/api/2.0/sql/statements/" + id + "/cancel", token, "{}").statusCode()).isEqualTo(200);

        JsonNode polled = JSON.readTree(call("GET", "/api/2.0/sql/statements/" + id, token, null).body());
        assertThat(polled.at("/status/state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void anUnknownEndpointIsRecordedAndRefused() throws Exception {
        HttpResponse<String> response = call("GET", "/api/2.0/sql/warehouses", server.personalAccessToken(), null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(server.unexpectedRequests()).containsExactly("GET /api/2.0/sql/warehouses");
    }
}
