package dev.cdi.braze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.WriteMode;
import dev.cdi.core.SyncEngine;
import dev.cdi.testkit.FakeTable;
import dev.cdi.testkit.FakeWarehouse;
import dev.cdi.testkit.FakeWarehouseExtension;
import dev.cdi.testkit.TestingBrazeServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each data type synced from DuckDB (the testkit's fake warehouse, through the real DuckDB connector and the engine)
 * through {@link BrazeSink} and real HTTP into {@link TestingBrazeServer}, with the fault matrix of issue 15.
 */
@ExtendWith(FakeWarehouseExtension.class)
class BrazeSinkTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private TestingBrazeServer braze;

    @BeforeEach
    void startBraze() {
        braze = TestingBrazeServer.start();
    }

    @AfterEach
    void stopBraze() {
        assertThat(braze.unexpectedRequests()).isEmpty();
        braze.close();
    }

    /** Fast back-offs so the fault tests take milliseconds. */
    private BrazeSinkConfig.Builder config() {
        return BrazeSinkConfig.builder()
                .endpoint(braze.url())
                .apiKey(braze.apiKey())
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(10));
    }

    private BrazeSink sink() {
        return new BrazeSink(config().build());
    }

    private static SyncSpec spec(FakeWarehouse warehouse, FakeTable table, DataType type, int batchSize) {
        return warehouse.spec("braze", table, type).options(SyncOptions.builder().batchSize(batchSize)
                .checkpointEvery(batchSize).sinkAttempts(3).sinkRetryBackoff(Duration.ZERO).build()).build();
    }

    private static SyncSpec spec(FakeWarehouse warehouse, FakeTable table, DataType type) {
        return spec(warehouse, table, type, 500);
    }

    private FakeTable users(FakeWarehouse warehouse, int count) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < count; i++) {
            users.row().updatedAt(T0.plusMillis(i)).externalId("u" + i).payload("{\"n\":" + i + "}").insert();
        }
        return users;
    }

    /** How often each delivered object was applied, by its JSON text; 2 or more is a duplicate. */
    private Map<String, Long> deliveryCounts() {
        return braze.delivered().stream().collect(Collectors.groupingBy(d -> d.object().toString(), Collectors.counting()));
    }

    private void assertEachDeliveredOnce(int expected) {
        Map<String, Long> counts = deliveryCounts();
        assertThat(counts).hasSize(expected);
        assertThat(counts.values()).as("no object applied twice").allMatch(count -> count == 1);
    }

    // ---- each data type

    @Test
    void attributesReachTheProfilesWithTheIdentifierBrazeExpects(FakeWarehouse warehouse, SyncEngine engine) {
        String existing = braze.addUser("known");
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("u1").payload("{\"plan\":\"gold\",\"visits\":{\"inc\":2}}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).alias("anon-1", "cookie").payload("{\"seen\":true}").insert();
        users.row().updatedAt(T0.plusSeconds(2)).email(" Ann@EXAMPLE.com ").payload("{\"from\":\"email\"}").insert();
        users.row().updatedAt(T0.plusSeconds(3)).phone("(415) 555-0100").payload("{\"p\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(4)).brazeId(existing).payload("{\"vip\":true}").insert();
        users.row().updatedAt(T0.plusSeconds(5)).brazeId("no-such-user").payload("{\"vip\":true}").insert();
        users.row().updatedAt(T0.plusSeconds(6)).externalId("u1").payload("{\"plan\":\"platinum\"}").insert();

        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsSynced()).isEqualTo(7);
        TestingBrazeServer.Profile u1 = braze.profileByExternalId("u1").orElseThrow();
        assertThat(u1.attributes().get("plan").asText()).as("the later row applied last").isEqualTo("platinum");
        assertThat(u1.attributes().get("visits").asDouble()).isEqualTo(2.0);
        assertThat(u1.updates()).extracting(update -> update.get("_update_existing_only").asBoolean())
                .containsOnly(false);
        assertThat(braze.profileByAlias("anon-1", "cookie").orElseThrow().attributes().get("seen").asBoolean()).isTrue();
        assertThat(braze.profiles()).anySatisfy(p -> {
            assertThat(p.email()).contains("Ann@example.com");
            assertThat(p.attributes().get("from").asText()).isEqualTo("email");
        });
        assertThat(braze.profiles()).anySatisfy(p -> assertThat(p.phone()).contains("+14155550100"));
        TestingBrazeServer.Profile known = braze.profileByExternalId("known").orElseThrow();
        assertThat(known.attributes().get("vip").asBoolean()).isTrue();
        assertThat(known.updates().get(0).get("braze_id").asText()).isEqualTo(existing);
        assertThat(known.updates().get(0).get("_update_existing_only").asBoolean()).as("a braze id never creates").isTrue();
        assertThat(braze.profiles()).as("u1, alias, email, phone, known; no user for the unknown braze id").hasSize(5);
    }

    @Test
    void updateExistingUsersOnlyIsSentAsUpdateExistingOnly(FakeWarehouse warehouse, SyncEngine engine) {
        braze.addUser("known");
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("known").payload("{\"a\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).externalId("stranger").payload("{\"a\":2}").insert();

        RunResult result = engine.run(warehouse.spec("braze", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().updateExistingOnly(true).build()).build(), sink());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(braze.profileByExternalId("stranger")).isEmpty();
        assertThat(braze.profileByExternalId("known").orElseThrow().updates()).singleElement()
                .satisfies(update -> assertThat(update.get("_update_existing_only").asBoolean()).isTrue());
    }

    @Test
    void eventsAndPurchasesReachTheProfilesWithTheirTime(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable events = warehouse.createTable("main.events", DataType.EVENTS);
        events.row().updatedAt("2026-03-01T10:00:00.5Z").externalId("u1").payload("{\"name\":\"opened\"}").insert();
        events.row().updatedAt("2026-03-01T10:00:01Z").externalId("u1")
                .payload("{\"name\":\"closed\",\"time\":\"2026-02-01T00:00:00Z\",\"properties\":{\"k\":1}}").insert();
        FakeTable purchases = warehouse.createTable("main.purchases", DataType.PURCHASES);
        purchases.row().updatedAt("2026-03-01T11:00:00Z").externalId("u1")
                .payload("{\"product_id\":\"hat\",\"currency\":\"EUR\",\"price\":19.5}").insert();

        RunResult eventRun = engine.run(warehouse.spec("events", events, DataType.EVENTS).build(), sink());
        RunResult purchaseRun = engine.run(warehouse.spec("purchases", purchases, DataType.PURCHASES).build(), sink());

        assertThat(eventRun.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(purchaseRun.status()).isEqualTo(RunStatus.SUCCESS);
        TestingBrazeServer.Profile u1 = braze.profileByExternalId("u1").orElseThrow();
        assertThat(u1.events()).extracting(e -> e.get("name").asText()).containsExactly("opened", "closed");
        assertThat(Instant.parse(u1.events().get(0).get("time").asText()))
                .isEqualTo(Instant.parse("2026-03-01T10:00:00.5Z"));
        assertThat(u1.events().get(1).get("time").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(u1.events().get(1).get("properties").get("k").asInt()).isEqualTo(1);
        assertThat(u1.purchases()).singleElement().satisfies(p -> {
            assertThat(p.get("product_id").asText()).isEqualTo("hat");
            assertThat(p.get("price").asDouble()).isEqualTo(19.5);
            assertThat(Instant.parse(p.get("time").asText())).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        });
        assertThat(braze.requests()).as("u1's second event waits for its first, in a request of its own")
                .containsExactly("POST /users/track -> 201", "POST /users/track -> 201", "POST /users/track -> 201");
    }

    @Test
    void userDeletesRemoveTheProfilesByExternalIdAliasAndBrazeId(FakeWarehouse warehouse, SyncEngine engine) {
        braze.addUser("keep");
        braze.addUser("gone");
        String brazeId = braze.addUser("gone-by-braze-id");
        FakeTable setup = warehouse.createTable("main.aliases", DataType.ATTRIBUTES);
        setup.row().updatedAt(T0).alias("anon", "cookie").payload("{}").insert();
        engine.run(warehouse.spec("aliases", setup, DataType.ATTRIBUTES).build(), sink());
        assertThat(braze.profiles()).hasSize(4);
        FakeTable deletes = warehouse.createTable("main.deletes", DataType.USER_DELETES);
        deletes.row().updatedAt(T0).externalId("gone").insert();
        deletes.row().updatedAt(T0.plusSeconds(1)).alias("anon", "cookie").insert();
        deletes.row().updatedAt(T0.plusSeconds(2)).brazeId(brazeId).insert();

        RunResult result = engine.run(warehouse.spec("deletes", deletes, DataType.USER_DELETES).build(), sink());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsSynced()).isEqualTo(3);
        assertThat(braze.profiles()).singleElement().satisfies(p -> assertThat(p.externalId()).contains("keep"));
        assertThat(braze.requests()).filteredOn(r -> r.startsWith("POST /users/delete"))
                .as("one identifier type per request").hasSize(3).allMatch(r -> r.endsWith("202"));
    }

    @Test
    void catalogRowsReplaceAndDeleteItems(FakeWarehouse warehouse, SyncEngine engine) {
        braze.createCatalog("restaurants");
        FakeTable items = warehouse.createTable("main.restaurants", DataType.CATALOG);
        items.row().updatedAt(T0).id("r1").payload("{\"name\":\"Golden\",\"rating\":4}").insert();
        items.row().updatedAt(T0.plusSeconds(1)).id("r2").payload("{\"name\":\"Blue\"}").insert();
        items.row().updatedAt(T0.plusSeconds(2)).id("r3").payload("{\"name\":\"Gone soon\"}").insert();
        items.row().updatedAt(T0.plusSeconds(3)).id("r1").payload("{\"name\":\"Golden Star\"}").insert();
        items.row().updatedAt(T0.plusSeconds(4)).id("r3").deleted(true).insert();

        RunResult result = engine.run(warehouse.spec("restaurants", items, DataType.CATALOG).build(),
                new BrazeSink(config().catalogName("restaurants").build()));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        Map<String, JsonNode> held = braze.catalogItems("restaurants");
        assertThat(held.keySet()).containsExactlyInAnyOrder("r1", "r2");
        assertThat(held.get("r1").get("name").asText()).as("an update replaces the whole item").isEqualTo("Golden Star");
        assertThat(held.get("r1").has("rating")).isFalse();
        assertThat(braze.requests()).contains("PUT /catalogs/restaurants/items -> 202",
                "DELETE /catalogs/restaurants/items -> 202");
    }

    @Test
    void aCatalogThatDoesNotExistIsAConfigurationError(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable items = warehouse.createTable("main.restaurants", DataType.CATALOG);
        items.row().updatedAt(T0).id("r1").payload("{\"name\":\"Golden\"}").insert();

        RunResult result = engine.run(spec(warehouse, items, DataType.CATALOG),
                new BrazeSink(config().catalogName("missing").build()));

        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error()).map(SyncError::code).contains(ErrorCode.INVALID_CONFIGURATION);
        assertThat(result.error().orElseThrow().message()).contains("catalog-not-found");
        assertThat(braze.requests()).hasSize(1);
    }

    // ---- batching and order

    @Test
    void requestsStayWithinBrazesLimits(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 1000);

        BrazeSink sink = sink();
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 1000), sink);

        assertThat(result.rowsSynced()).isEqualTo(1000);
        assertThat(braze.requests()).as("ceil(1000 / 75) requests, each accepted").hasSize(14)
                .allMatch(r -> r.equals("POST /users/track -> 201"));
        assertEachDeliveredOnce(1000);
    }

    @Test
    void fewerObjectsPerTrackRequestForBrazesMonthlyActiveUsersPlan(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 1000);

        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 1000),
                new BrazeSink(config().trackObjectsPerRequest(50).build()));

        assertThat(result.rowsSynced()).isEqualTo(1000);
        assertThat(braze.requests()).hasSize(20);
        assertThat(braze.delivered().stream().collect(Collectors.groupingBy(d -> d.requestNumber(),
                Collectors.counting())).values()).containsOnly(50L);
        assertEachDeliveredOnce(1000);
    }

    @Test
    void aUsersRowsStayInOrderWithManyRequestsInFlight(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        int rows = 2000;
        for (int i = 0; i < rows; i++) {
            // 300 users with about 7 rows each: requests hold one row per user, later ones wait for earlier ones.
            users.row().updatedAt(T0.plusMillis(i)).externalId("u" + (i * 7919 % 300))
                    .payload("{\"seq\":" + i + "}").insert();
        }
        // Retries and slow answers while requests are in flight: a retried request must still not be overtaken.
        braze.failNext(4, 503);
        braze.dropNext(2);
        braze.delayNext(40, Duration.ofMillis(15));

        BrazeSink sink = new BrazeSink(config().maxRequestsInFlight(8).build());
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 2000), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.retries()).isEqualTo(6);
        assertThat(braze.maxConcurrentRequests()).as("requests really were in flight together").isGreaterThan(1);
        for (TestingBrazeServer.Profile profile : braze.profiles()) {
            List<Integer> sequence = profile.updates().stream().map(u -> u.get("seq").asInt()).toList();
            assertThat(sequence).as(profile.externalId().orElseThrow()).isSorted();
            assertThat(profile.attributes().get("seq").asInt()).isEqualTo(sequence.get(sequence.size() - 1));
        }
        assertEachDeliveredOnce(rows);
    }

    @Test
    void aBatchOfOneUsersRowsIsSplitSoNoRequestHoldsTheUserTwice() {
        List<ResolvedRow> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("same"), WriteMode.CREATE_OR_UPDATE,
                    T0.plusSeconds(i), Optional.of("{\"seq\":" + i + "}"), false));
        }
        batch.add(new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("other"), WriteMode.CREATE_OR_UPDATE,
                T0.plusSeconds(9), Optional.of("{\"seq\":9}"), false));

        BrazeRequests.Plan plan = BrazeRequests.plan(batch, Optional.empty(), BrazeRequests.TRACK_LIMIT);

        assertThat(plan.requests()).hasSize(5);
        assertThat(plan.requests().get(0).rows).containsExactly(0, 5);
        for (int i = 1; i < 5; i++) {
            assertThat(plan.requests().get(i).dependsOn).containsExactly(i - 1);
        }
        List<RowOutcome> outcomes = sink().write(batch).toCompletableFuture().join();
        assertThat(outcomes).containsOnly(RowOutcome.accepted());
        assertThat(braze.profileByExternalId("same").orElseThrow().updates())
                .extracting(u -> u.get("seq").asInt()).containsExactly(0, 1, 2, 3, 4);
    }

    // ---- fault matrix

    @Test
    void a429IsWaitedOutUntilTheResetItNamesAndNothingIsLostOrSentTwice(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 300);
        braze.rateLimitNext(1, Duration.ofMillis(300), false);
        braze.rateLimitNext(1, Duration.ofMillis(300), true);

        BrazeSink sink = new BrazeSink(config().maxRequestsInFlight(1).build());
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(braze.earlyRetries()).as("the sink waited for each reset").isZero();
        assertThat(sink.rateLimitWaits()).isEqualTo(2);
        assertThat(braze.requests()).filteredOn(r -> r.endsWith("429")).hasSize(2);
        assertEachDeliveredOnce(300);
    }

    @Test
    void fiveHundredsAreRetriedAndNothingIsLostOrSentTwice(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 300);
        braze.failNext(2, 500);
        braze.failNext(2, 503);

        BrazeSink sink = new BrazeSink(config().maxRequestsInFlight(3).build());
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.retries()).isEqualTo(4);
        assertEachDeliveredOnce(300);
    }

    @Test
    void droppedConnectionsAreRetriedAndNothingIsLostOrSentTwice(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 300);
        braze.dropNext(3);

        BrazeSink sink = new BrazeSink(config().maxRequestsInFlight(2).build());
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(braze.requests()).filteredOn(r -> r.endsWith("dropped")).hasSize(3);
        assertEachDeliveredOnce(300);
    }

    @Test
    void slowAnswersWithinTheTimeoutAreWaitedFor(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 300);
        braze.delayNext(4, Duration.ofMillis(200));

        BrazeSink sink = new BrazeSink(config().maxRequestsInFlight(4).requestTimeout(Duration.ofSeconds(5)).build());
        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.retries()).isZero();
        assertThat(braze.maxConcurrentRequests()).isEqualTo(4);
        assertEachDeliveredOnce(300);
    }

    @Test
    void aRequestSlowerThanTheTimeoutIsRetried() {
        braze.delayNext(1, Duration.ofMillis(2000));
        List<ResolvedRow> batch = List.of(new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("u1"),
                WriteMode.CREATE_OR_UPDATE, T0, Optional.of("{\"a\":1}"), false));

        BrazeSink sink = new BrazeSink(config().requestTimeout(Duration.ofMillis(500)).build());
        List<RowOutcome> outcomes = sink.write(batch).toCompletableFuture().join();

        assertThat(outcomes).containsExactly(RowOutcome.accepted());
        assertThat(sink.retries()).isEqualTo(1);
    }

    @Test
    void perIndexErrorsRejectJustThoseRowsWithBrazesText(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 100);
        braze.rejectObjects(object -> Set.of("u7", "u80").contains(object.path("external_id").asText()),
                "Invalid attribute value");

        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES), sink());

        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowsSynced()).isEqualTo(98);
        assertThat(result.rowErrors()).hasSize(2).allSatisfy(error -> {
            assertThat(error.code()).isEqualTo(RowErrorCode.REJECTED_BY_SINK);
            assertThat(error.message()).isEqualTo("Braze: Invalid attribute value");
        });
        assertThat(result.rowErrors()).extracting(RowError::identifier).containsExactly(
                Optional.of(new Identifier.ExternalId("u7")), Optional.of(new Identifier.ExternalId("u80")));
        assertThat(braze.profileByExternalId("u7")).isEmpty();
        assertThat(braze.profiles()).hasSize(98);
    }

    @Test
    void aWhole400RejectsTheRowsOfThatRequestOnly(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 150);
        braze.failNext(1, 400);

        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES),
                new BrazeSink(config().maxRequestsInFlight(1).build()));

        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowsFailed()).as("the first request of 75").isEqualTo(75);
        assertThat(result.rowsSynced()).isEqualTo(75);
        assertThat(result.rowErrors()).allSatisfy(error -> {
            assertThat(error.code()).isEqualTo(RowErrorCode.REJECTED_BY_SINK);
            assertThat(error.message()).isEqualTo("Braze answered 400: Bad Request (injected 400)");
        });
        assertThat(result.watermark()).as("rejected rows are acknowledged: the watermark moves past them").isPresent();
        assertEachDeliveredOnce(75);
    }

    @Test
    void aRefusedCatalogRequestRejectsTheItemsBrazeNamesAndSendsTheRestAgain() {
        braze.createCatalog("items");
        List<ResolvedRow> batch = new ArrayList<>();
        for (String id : List.of("a", "bad.id", "c")) {
            batch.add(new ResolvedRow(DataType.CATALOG, new Identifier.CatalogItemId(id), WriteMode.CREATE_OR_UPDATE,
                    T0, Optional.of("{\"x\":1}"), false));
        }

        List<RowOutcome> outcomes = new BrazeSink(config().catalogName("items").build()).write(batch)
                .toCompletableFuture().join();

        assertThat(outcomes.get(0)).isEqualTo(RowOutcome.accepted());
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(RowOutcome.Rejected.class, rejected -> {
            assertThat(rejected.code()).isEqualTo(RowErrorCode.REJECTED_BY_SINK);
            assertThat(rejected.message()).contains("400").contains("invalid-ids");
        });
        assertThat(outcomes.get(2)).isEqualTo(RowOutcome.accepted());
        assertThat(braze.catalogItems("items").keySet()).containsExactly("a", "c");
        assertThat(braze.requests()).containsExactly("PUT /catalogs/items/items -> 400", "PUT /catalogs/items/items -> 202");
    }

    @Test
    void a401EndsTheRunWithAnAuthenticationErrorWithoutRetries(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 10);

        RunResult result = engine.run(spec(warehouse, users, DataType.ATTRIBUTES),
                new BrazeSink(config().apiKey("wrong-key").build()));

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error()).map(SyncError::category).contains(ErrorCategory.AUTHENTICATION);
        assertThat(result.error().orElseThrow().message()).contains("401").doesNotContain("wrong-key");
        assertThat(result.watermark()).isEmpty();
        assertThat(braze.requests()).containsExactly("POST /users/track -> 401");
    }

    @Test
    void a403EndsTheRunWithAPermissionsErrorNamingThePermission(FakeWarehouse warehouse, SyncEngine engine) {
        braze.setPermissions(Set.of("users.track"));
        FakeTable deletes = warehouse.createTable("main.deletes", DataType.USER_DELETES);
        deletes.row().updatedAt(T0).externalId("u1").insert();

        RunResult result = engine.run(spec(warehouse, deletes, DataType.USER_DELETES), sink());

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error()).map(SyncError::code).contains(ErrorCode.PERMISSION_DENIED);
        assertThat(result.error().orElseThrow().message()).contains("users.delete");
        assertThat(braze.requests()).containsExactly("POST /users/delete -> 403");
    }

    @Test
    void fiveHundredsBeyondTheAttemptsFailTheRunAndTheNextRunDeliversTheRest(FakeWarehouse warehouse,
            SyncEngine engine) {
        FakeTable users = users(warehouse, 100);
        // The sink tries each request twice, the pipeline each batch three times: six 503s fail the first batch.
        braze.failNext(6, 503);
        BrazeSink sink = new BrazeSink(config().maxAttempts(2).build());

        RunResult failed = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 50), sink);

        assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(failed.error()).map(SyncError::code).contains(ErrorCode.SINK_FAILED);
        assertThat(failed.watermark()).isEmpty();

        RunResult next = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 50), sink);

        assertThat(next.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(next.rowsSynced()).isEqualTo(100);
        assertEachDeliveredOnce(100);
    }

    @Test
    void aCrashBetweenARequestAndTheCheckpointResendsAtMostThatBatch(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = users(warehouse, 100);
        BrazeSink braze1 = sink();
        AtomicInteger calls = new AtomicInteger();
        // The third batch reaches Braze, then the process "dies" before the pipeline hears of it: the answer is lost.
        RowSink crashing = batch -> braze1.write(batch).thenApply(outcomes -> {
            if (calls.incrementAndGet() == 3) {
                throw new CdiException(ErrorCode.INTERNAL_ERROR, "simulated crash after the request");
            }
            return outcomes;
        });

        RunResult crashed = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 10), crashing);

        assertThat(crashed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(braze.delivered()).hasSize(30);

        RunResult next = engine.run(spec(warehouse, users, DataType.ATTRIBUTES, 10), sink());

        assertThat(next.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(next.rowsSynced()).as("the third batch again, then the rest").isEqualTo(80);
        Map<String, Long> counts = deliveryCounts();
        assertThat(counts).hasSize(100);
        Map<Long, Long> histogram = new HashMap<>();
        counts.values().forEach(count -> histogram.merge(count, 1L, Long::sum));
        assertThat(histogram).as("exactly the one batch of 10 sent twice").containsExactlyInAnyOrderEntriesOf(
                Map.of(1L, 90L, 2L, 10L));
    }
}
