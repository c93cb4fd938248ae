package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.core.SyncEngine;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 6: resolution to one target, applied with the reference profile semantics. */
@ExtendWith(FakeWarehouseExtension.class)
class ResolutionRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void externalIdsAndAliasesCreateUsersButABrazeIdNeverDoes(FakeWarehouse warehouse, SyncEngine engine) {
        ReferenceProfileStore store = new ReferenceProfileStore();
        String existing = store.addUser(Optional.of("known"), Optional.empty(), Optional.empty());
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("new-user").payload("{\"plan\":\"gold\"}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).alias("anon-1", "cookie").payload("{\"seen\":true}").insert();
        users.row().updatedAt(T0.plusSeconds(2)).brazeId("braze-unknown").payload("{\"x\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(3)).brazeId(existing).payload("{\"vip\":true}").insert();

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), store);

        assertThat(result.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(result.rowErrors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(RowErrorCode.USER_NOT_FOUND);
            assertThat(error.identifier()).contains(new Identifier.BrazeId("braze-unknown"));
        });
        assertThat(store.byExternalId("new-user").orElseThrow().attributes().get("plan").asText()).isEqualTo("gold");
        assertThat(store.profiles()).anySatisfy(p -> assertThat(p.aliases()).contains(new Identifier.UserAlias("anon-1", "cookie")));
        assertThat(store.byExternalId("known").orElseThrow().attributes().get("vip").asBoolean()).isTrue();
        assertThat(store.profiles()).hasSize(3);
    }

    @Test
    void anEmailTargetsTheMostRecentlyUpdatedProfileOrCreatesAnEmailOnlyOne(FakeWarehouse warehouse, SyncEngine engine) {
        ReferenceProfileStore store = new ReferenceProfileStore();
        store.addUser(Optional.of("older"), Optional.of("shared@example.com"), Optional.empty());
        store.addUser(Optional.of("newer"), Optional.of("shared@example.com"), Optional.empty());
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).email(" shared@EXAMPLE.com ").payload("{\"from\":\"email\"}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).email("fresh@example.com").payload("{\"n\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(2)).phone("(415) 555-0100").payload("{\"p\":1}").insert();

        engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), store);

        assertThat(store.byExternalId("newer").orElseThrow().attributes()).containsKey("from");
        assertThat(store.byExternalId("older").orElseThrow().attributes()).doesNotContainKey("from");
        assertThat(store.byEmail("fresh@example.com")).singleElement()
                .satisfies(p -> assertThat(p.externalId()).isEmpty());
        assertThat(store.profiles()).anySatisfy(p -> assertThat(p.phone()).contains("+14155550100"));
    }

    @Test
    void updateExistingUsersOnlyNeverCreatesAUser(FakeWarehouse warehouse, SyncEngine engine) {
        ReferenceProfileStore store = new ReferenceProfileStore();
        store.addUser(Optional.of("known"), Optional.empty(), Optional.empty());
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(T0).externalId("known").payload("{\"a\":1}").insert();
        users.row().updatedAt(T0.plusSeconds(1)).externalId("stranger").payload("{\"a\":2}").insert();

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().updateExistingOnly(true).build()).build(), store);

        assertThat(result.rowsSynced()).isEqualTo(1);
        assertThat(result.rowErrors()).extracting(e -> e.code()).containsExactly(RowErrorCode.USER_NOT_FOUND);
        assertThat(store.byExternalId("stranger")).isEmpty();
        assertThat(store.profiles()).hasSize(1);
    }

    @Test
    void eventsAndPurchasesGetTheirTimeFromUpdatedAtWhenAbsent(FakeWarehouse warehouse, SyncEngine engine) {
        ReferenceProfileStore store = new ReferenceProfileStore();
        FakeTable events = warehouse.createTable("main.events", TableLayout.of(DataType.EVENTS).withPayloadType("JSON"));
        events.row().updatedAt("2026-03-01T10:00:00.5Z").externalId("u1").payload("{\"name\":\"opened\"}").insert();
        events.row().updatedAt("2026-03-01T10:00:01Z").externalId("u1")
                .payload("{\"name\":\"closed\",\"time\":\"2026-02-01T00:00:00Z\"}").insert();
        FakeTable purchases = warehouse.createTable("main.purchases", DataType.PURCHASES);
        purchases.row().updatedAt("2026-03-01T11:00:00Z").externalId("u1")
                .payload("{\"product_id\":\"hat\",\"currency\":\"EUR\",\"price\":19.5}").insert();

        engine.run(warehouse.spec("events", events, DataType.EVENTS).build(), store);
        engine.run(warehouse.spec("purchases", purchases, DataType.PURCHASES).build(), store);

        ReferenceProfileStore.Profile user = store.byExternalId("u1").orElseThrow();
        assertThat(user.events()).extracting(e -> e.get("time").asText())
                .containsExactly("2026-03-01T10:00:00.500Z", "2026-02-01T00:00:00Z");
        assertThat(user.purchases()).singleElement().satisfies(p -> {
            assertThat(p.get("time").asText()).isEqualTo("2026-03-01T11:00:00Z");
            assertThat(p.get("price").asDouble()).isEqualTo(19.5);
        });
    }

    @Test
    void userDeletesRemoveUsersAndCatalogRowsReplaceOrDeleteItems(FakeWarehouse warehouse, SyncEngine engine) {
        ReferenceProfileStore store = new ReferenceProfileStore();
        store.addUser(Optional.of("leaving"), Optional.empty(), Optional.empty());
        FakeTable deletes = warehouse.createTable("main.deletes", DataType.USER_DELETES);
        deletes.row().updatedAt(T0).externalId("leaving").insert();
        assertThat(engine.run(warehouse.spec("deletes", deletes, DataType.USER_DELETES).build(), store).status())
                .isEqualTo(RunStatus.SUCCESS);
        assertThat(store.byExternalId("leaving")).isEmpty();

        FakeTable catalog = warehouse.createTable("main.catalog", DataType.CATALOG);
        catalog.row().updatedAt(T0).id("hat").payload("{\"color\":\"red\",\"size\":\"L\"}").insert();
        catalog.row().updatedAt(T0.plusSeconds(1)).id("hat").payload("{\"color\":\"blue\"}").insert();
        catalog.row().updatedAt(T0).id("scarf").payload("{\"color\":\"green\"}").insert();
        catalog.row().updatedAt(T0.plusSeconds(2)).id("scarf").deleted(true).insert();
        engine.run(warehouse.spec("catalog", catalog, DataType.CATALOG).build(), store);
        assertThat(store.catalogItems()).containsOnlyKeys("hat");
        assertThat(store.catalogItems().get("hat").toString()).isEqualTo("{\"color\":\"blue\"}");
    }
}
