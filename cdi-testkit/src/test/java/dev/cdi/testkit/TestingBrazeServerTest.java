package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake Braze on its own, through plain HTTP: Braze's validation and answer shapes, and its strictness. */
class TestingBrazeServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestingBrazeServer braze = TestingBrazeServer.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        braze.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(braze.url() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> track(String body) throws IOException, InterruptedException {
        return send("POST", "/users/track", body, braze.apiKey());
    }

    @Test
    void aWrongOrMissingKeyIs401AndAMissingPermission403() throws Exception {
        assertThat(send("POST", "/users/track", "{}", "nope").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/users/track", "{}", null).statusCode()).isEqualTo(401);
        braze.setPermissions(Set.of("users.delete"));
        HttpResponse<String> denied = track("{\"attributes\":[]}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(denied.body()).get("message").asText()).isEqualTo("Access Denied");
    }

    @Test
    void moreThan75ObjectsOfAKindIsMaxInputLengthExceeded() throws Exception {
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 76; i++) {
            objects.append(i == 0 ? "" : ",").append("{\"external_id\":\"u").append(i).append("\",\"a\":1}");
        }

        HttpResponse<String> answer = track("{\"attributes\":[" + objects + "]}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText()).isEqualTo("Max Input Length Exceeded");
        assertThat(braze.profiles()).isEmpty();
    }

    @Test
    void anInvalidObjectIsANonFatalErrorByIndexAndTheRestIsApplied() throws Exception {
        HttpResponse<String> answer = track("{\"attributes\":[{\"external_id\":\"u1\",\"a\":1},{\"a\":2}],"
                + "\"events\":[{\"external_id\":\"u1\",\"time\":\"2026-01-01T00:00:00Z\"}]}");

        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("message").asText()).isEqualTo("success");
        assertThat(body.get("attributes_processed").asInt()).isEqualTo(1);
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.get("errors").get(0).get("input_array").asText()).isEqualTo("attributes");
        assertThat(body.get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(body.get("errors").get(1).get("type").asText()).isEqualTo("Event 'name' is required");
        assertThat(braze.profileByExternalId("u1").orElseThrow().attributes().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void aliasesDefaultToUpdateOnlyAsInBraze() throws Exception {
        track("{\"attributes\":[{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"},\"a\":1}]}");
        assertThat(braze.profiles()).isEmpty();

        track("{\"attributes\":[{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"},\"a\":1,"
                + "\"_update_existing_only\":false}]}");
        assertThat(braze.profileByAlias("n", "l")).isPresent();
    }

    @Test
    void aRequestBeforeTheResetIsCountedAsAnEarlyRetry() throws Exception {
        braze.rateLimitNext(1, Duration.ofSeconds(30), true);

        HttpResponse<String> limited = track("{\"attributes\":[]}");
        HttpResponse<String> early = track("{\"attributes\":[]}");

        assertThat(limited.statusCode()).isEqualTo(429);
        long reset = Long.parseLong(limited.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertThat(reset).isGreaterThan(Instant.now().getEpochSecond() + 20);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(early.statusCode()).isEqualTo(429);
        assertThat(braze.earlyRetries()).isEqualTo(1);
    }

    @Test
    void deletesAndCatalogsCheckTheirLimitsAndAnUnknownPathIsRecorded() throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            ids.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
        }
        HttpResponse<String> tooMany = send("POST", "/users/delete", "{\"external_ids\":[" + ids + "]}", braze.apiKey());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("The max number of ids per request was exceeded");

        HttpResponse<String> noCatalog = send("PUT", "/catalogs/none/items", "{\"items\":[{\"id\":\"a\"}]}",
                braze.apiKey());
        assertThat(noCatalog.statusCode()).isEqualTo(404);
        assertThat(noCatalog.body()).contains("catalog-not-found");

        braze.createCatalog("c");
        HttpResponse<String> badKey = send("PUT", "/catalogs/c/items", "{\"items\":[{\"id\":\"a\",\"x.y\":1}]}",
                braze.apiKey());
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badKey.body()).get("errors").get(0).get("parameter_values").get(0).asText())
                .isEqualTo("a");
        assertThat(braze.catalogItems("c")).isEmpty();

        assertThat(send("GET", "/users/export/ids", "", braze.apiKey()).statusCode()).isEqualTo(404);
        assertThat(braze.unexpectedRequests()).containsExactly("GET /users/export/ids");
    }
}
