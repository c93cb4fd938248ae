package dev.cdi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The demo's sample rows, in the SPEC section 3.1 layouts. The first load is the same on every machine (a fixed
 * seed and fixed dates in June 2025, safely in the past, since a run never reads rows newer than the warehouse's
 * clock); it holds a few deliberately invalid rows so the first run shows row errors, but no NULL
 * {@code UPDATED_AT}, which every run would report again.
 *
 * <p>Thread-safe (stateless).
 */
final class DemoData {
    private static final Instant START = Instant.parse("2025-06-01T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIRST_NAMES = List.of("Ava", "Noah", "Mia", "Liam", "Sofia", "Lucas", "Emma",
            "Mateo", "Chloe", "Arjun", "Hana", "Jonas", "Zara", "Ravi", "Elena", "Tomas", "Aisha", "Felix", "Ines", "Kai");
    private static final List<String> LAST_NAMES = List.of("Martin", "Okafor", "Rossi", "Kim", "Novak", "Silva",
            "Dubois", "Tanaka", "Schmidt", "Haddad", "Larsen", "Garcia", "Costa", "Nguyen", "Patel");
    private static final List<String> CITIES = List.of("Lisbon", "Austin", "Toronto", "Berlin", "Osaka", "Nairobi",
            "Melbourne", "Lyon", "Bogota", "Dublin", "Seoul", "Warsaw");
    private static final List<String> PLANS = List.of("free", "free", "free", "plus", "pro");
    private static final List<String> EVENT_NAMES = List.of("app_opened", "viewed_product", "added_to_cart",
            "searched", "shared_link", "completed_onboarding");
    private static final List<String> PLATFORMS = List.of("ios", "android", "web");
    private static final List<Product> PRODUCTS = List.of(
            new Product("sku-tent-2p", "Two-person tent", 189.00),
            new Product("sku-bottle-750", "Insulated bottle 750 ml", 24.50),
            new Product("sku-headlamp", "Rechargeable headlamp", 39.99),
            new Product("sku-socks-merino", "Merino hiking socks", 17.95),
            new Product("sku-stove-mini", "Backpacking stove", 64.00),
            new Product("sku-map-alps", "Alps trail map", 12.00));
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP");

    /**
     * One source row; a null field is a SQL NULL.
     *
     * @param updatedAt the {@code UPDATED_AT} value
     * @param externalId the {@code EXTERNAL_ID}, or null
     * @param email the {@code EMAIL}, or null (attributes only)
     * @param phone the {@code PHONE}, or null (attributes only)
     * @param payload the {@code PAYLOAD} text
     */
    record Row(Instant updatedAt, String externalId, String email, String phone, String payload) {
    }

    private record Product(String id, String name, double price) {
    }

    private DemoData() {
    }

    /**
     * Custom attributes: 30 users by external id (two of them in one {@code UPDATED_AT} group), leads known only by
     * email or phone, later changes to some users, and six invalid rows.
     *
     * @return the rows
     */
    static List<Row> attributes() {
        Random random = new Random(1);
        List<Row> rows = new ArrayList<>();
        for (int user = 1; user <= 30; user++) {
            // Users 10 and 11 signed up in the same microsecond: a group of equal UPDATED_AT values.
            int slot = user == 11 ? 10 : user;
            Instant updatedAt = START.plus(Duration.ofMinutes(47L * slot)).plus(slot * 7_919L, ChronoUnit.MICROS);
            rows.add(new Row(updatedAt, userId(user), null, null, json(
                    "first_name", pick(random, FIRST_NAMES),
                    "last_name", pick(random, LAST_NAMES),
                    "city", pick(random, CITIES),
                    "plan", pick(random, PLANS),
                    "loyalty_points", random.nextInt(2_000),
                    "newsletter_opt_in", random.nextBoolean())));
        }
        Instant dayTwo = START.plus(Duration.ofDays(1));
        rows.add(new Row(dayTwo.plusSeconds(600), null, "lena.fischer@example.com", null,
                json("lead_source", "webinar", "newsletter_opt_in", true)));
        rows.add(new Row(dayTwo.plusSeconds(1_260), null, "Omar.Haddad@Example.ORG", null,
                json("lead_source", "referral")));
        rows.add(new Row(dayTwo.plusSeconds(1_900), null, "kenji.watanabe@example.net", "+81 90 1234 5678",
                json("lead_source", "trade_show", "city", "Osaka")));
        rows.add(new Row(dayTwo.plusSeconds(2_400), null, null, "415-555-0199", json("sms_opt_in", true)));
        rows.add(new Row(dayTwo.plusSeconds(3_000), userId(3), null, null,
                json("plan", "pro", "loyalty_points", Map.of("inc", 250))));
        rows.add(new Row(dayTwo.plusSeconds(3_650), userId(7), null, null, json("city", "Berlin")));
        rows.add(new Row(dayTwo.plusSeconds(4_100), userId(12), null, null,
                json("favorite_categories", Map.of("add", List.of("camping", "trail_running")))));
        rows.add(new Row(dayTwo.plusSeconds(4_800), userId(21), null, null, json("newsletter_opt_in", false)));
        rows.add(new Row(dayTwo.plusSeconds(5_500), userId(5), null, null,
                json("plan", "plus", "last_order", object("total", 64.0, "currency", "EUR"))));

        // Deliberately invalid rows, one per kind of mistake customers make most.
        rows.add(new Row(dayTwo.plusSeconds(6_000), userId(31), null, null, "{\"first_name\": \"Zoe\", \"city\": "));
        rows.add(new Row(dayTwo.plusSeconds(6_100), null, "maria.garcia@", null, json("lead_source", "webinar")));
        rows.add(new Row(dayTwo.plusSeconds(6_200), null, null, null, json("plan", "free")));
        rows.add(new Row(dayTwo.plusSeconds(6_300), userId(32), "sam.lee@example.com", null, json("city", "Dublin")));
        rows.add(new Row(dayTwo.plusSeconds(6_400), userId(33), null, null,
                json("external_id", "u9999", "city", "Seoul")));
        rows.add(new Row(dayTwo.plusSeconds(6_500), null, null, "12-34", json("sms_opt_in", true)));
        return rows;
    }

    /**
     * Custom events of the 30 users, one of them without the required {@code name}.
     *
     * @return the rows
     */
    static List<Row> events() {
        Random random = new Random(2);
        List<Row> rows = new ArrayList<>();
        Instant start = START.plus(Duration.ofDays(2));
        for (int i = 0; i < 36; i++) {
            Instant updatedAt = start.plus(Duration.ofMinutes(23L * i)).plus(i * 311L, ChronoUnit.MICROS);
            String name = pick(random, EVENT_NAMES);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("platform", pick(random, PLATFORMS));
            if (!name.equals("app_opened")) {
                properties.put("product_id", pick(random, PRODUCTS).id());
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("name", name);
            if (i % 4 == 0) {
                // The app recorded the event a little before the row was written.
                payload.put("time", updatedAt.minusSeconds(90).truncatedTo(ChronoUnit.SECONDS).toString());
            }
            payload.put("properties", properties);
            rows.add(new Row(updatedAt, userId(1 + random.nextInt(30)), null, null, json(payload)));
        }
        rows.add(new Row(start.plus(Duration.ofHours(5)), userId(4), null, null,
                json("properties", Map.of("platform", "web"))));
        return rows;
    }

    /**
     * Purchases of the 30 users, one of them with an invalid currency.
     *
     * @return the rows
     */
    static List<Row> purchases() {
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        Instant start = START.plus(Duration.ofDays(3));
        for (int i = 0; i < 30; i++) {
            Instant updatedAt = start.plus(Duration.ofMinutes(41L * i)).plus(i * 523L, ChronoUnit.MICROS);
            Product product = pick(random, PRODUCTS);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("product_id", product.id());
            payload.put("currency", pick(random, CURRENCIES));
            payload.put("price", product.price());
            payload.put("quantity", 1 + random.nextInt(3));
            payload.put("properties", object("product_name", product.name(), "channel", pick(random, PLATFORMS)));
            rows.add(new Row(updatedAt, userId(1 + random.nextInt(30)), null, null, json(payload)));
        }
        rows.add(new Row(start.plus(Duration.ofHours(9)), userId(9), null, null,
                json("product_id", "sku-tent-2p", "currency", "DOLLARS", "price", 189.0)));
        return rows;
    }

    /**
     * New and changed custom attributes, all valid and stamped at or just before {@code now}: two of every three
     * rows are new users, the third changes an existing one. Each row has its own microsecond, so rows for one user
     * keep their order.
     *
     * @param count how many rows
     * @param firstNewUser the number of the first new user ({@code u0042} is user 42)
     * @param existingUsers external ids that exist, to change
     * @param now the current time; no row is later
     * @return the rows, oldest first
     */
    static List<Row> changes(int count, int firstNewUser, List<String> existingUsers, Instant now) {
        Random random = new Random();
        Instant latest = now.truncatedTo(ChronoUnit.MICROS);
        List<Row> rows = new ArrayList<>(count);
        int nextUser = firstNewUser;
        for (int i = 0; i < count; i++) {
            Instant updatedAt = latest.minus(count - 1L - i, ChronoUnit.MICROS);
            if (i % 3 == 2 && !existingUsers.isEmpty()) {
                rows.add(new Row(updatedAt, pick(random, existingUsers), null, null, json(
                        "plan", pick(random, PLANS),
                        "loyalty_points", Map.of("inc", 10 + random.nextInt(90)),
                        "last_active_at", latest.truncatedTo(ChronoUnit.SECONDS).toString())));
            } else {
                rows.add(new Row(updatedAt, userId(nextUser++), null, null, json(
                        "first_name", pick(random, FIRST_NAMES),
                        "city", pick(random, CITIES),
                        "plan", "free",
                        "signed_up_at", latest.truncatedTo(ChronoUnit.SECONDS).toString())));
            }
        }
        return rows;
    }

    /**
     * The external id of user number {@code n}, such as {@code u0007}.
     *
     * @param n the user's number
     * @return the id
     */
    static String userId(int n) {
        return String.format(Locale.ROOT, "u%04d", n);
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String json(Object... keysAndValues) {
        return json(object(keysAndValues));
    }

    /** An object whose keys keep their order, so the same sample gives the same payload text on every run. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    private static String json(Map<String, Object> object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sample data cannot be written as JSON", e);
        }
    }
}
