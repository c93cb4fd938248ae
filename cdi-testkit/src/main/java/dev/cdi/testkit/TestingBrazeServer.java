package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Stands in for a Braze instance's REST API in tests: an HTTP server on 127.0.0.1 serving {@code POST /users/track},
 * {@code POST /users/delete}, {@code PUT} and {@code DELETE /catalogs/{name}/items} with Braze's request validation
 * and answer shapes, and a store of the user profiles and catalog items that result, so a test can assert what Braze
 * would hold after a sync, the order of each user's updates included.
 *
 * <pre>{@code
 * try (TestingBrazeServer braze = TestingBrazeServer.start()) {
 *     BrazeSink sink = new BrazeSink(BrazeSinkConfig.builder().endpoint(braze.url()).apiKey(braze.apiKey()).build());
 *     engine.run(spec, sink);
 *     assertThat(braze.profileByExternalId("u1").orElseThrow().attributes().get("plan").asText()).isEqualTo("gold");
 *     assertThat(braze.unexpectedRequests()).isEmpty();
 * }
 * }</pre>
 *
 * <p>What it checks, as Braze does: the bearer API key (401 {@code Invalid API key} otherwise) and its permissions
 * (403 {@code Access Denied}); a JSON body; at most 75 objects of each kind per track request (400
 * {@code Max Input Length Exceeded}), 50 ids per delete (400 {@code The max number of ids per request was
 * exceeded}), 50 catalog items per request (400 {@code request-includes-too-many-items}); one identifier per
 * object, required event and purchase fields (non-fatal errors by {@code input_array} and {@code index}, the rest of
 * the request applied); catalog item ids and keys (400 naming the ids in {@code parameter_values}, nothing applied);
 * an existing catalog (404 {@code catalog-not-found}). Anything else is refused with 404 and recorded in
 * {@link #unexpectedRequests()}.
 *
 * <p>Faults, each applying to the next requests to a served endpoint in the order they were asked for:
 * {@link #rateLimitNext} (429 with {@code X-RateLimit-Reset} and, optionally, {@code Retry-After}; a request that
 * comes back before the reset is counted in {@link #earlyRetries()}), {@link #failNext} (a status such as 500 or
 * 503), {@link #delayNext} (a slow answer), {@link #dropNext} (the connection closed before any answer, the request
 * not applied), and {@link #rejectObjects} (a non-fatal per-index error for matching track objects).
 *
 * <p>Thread-safe: requests are served concurrently and applied one at a time.
 */
public final class TestingBrazeServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IDENTIFIER_KEYS = Set.of("external_id", "user_alias", "braze_id", "email", "phone");
    private static final Pattern CATALOG_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    static {
        // The JDK's server writes response headers and body as two packets; with Nagle's algorithm on, the body waits
        // for the client's delayed ACK of the headers (40 ms on Linux), which would make every answer look slow.
        // The property is read once per JVM, when the first HttpServer starts; it only affects sockets of this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The permissions a key may hold, as Braze names them. */
    public static final Set<String> ALL_PERMISSIONS = Set.of("users.track", "users.delete", "catalogs.replace_items",
            "catalogs.delete_items");

    /**
     * A user profile as this fake Braze holds it.
     *
     * @param brazeId the internal id
     * @param externalId the external id, if any
     * @param aliases the user aliases as {@code label:name}
     * @param email the email, if any
     * @param phone the phone, if any
     * @param attributes the custom attributes
     * @param events the events, in the order applied
     * @param purchases the purchases, in the order applied
     * @param updates every object applied to this profile (attributes, events, purchases), in the order applied
     */
    public record Profile(String brazeId, Optional<String> externalId, Set<String> aliases, Optional<String> email,
            Optional<String> phone, ObjectNode attributes, List<JsonNode> events, List<JsonNode> purchases,
            List<JsonNode> updates) {
        /** Copies the collections. */
        public Profile {
            requireNonNull(brazeId, "brazeId is null");
            requireNonNull(externalId, "externalId is null");
            aliases = Set.copyOf(aliases);
            requireNonNull(email, "email is null");
            requireNonNull(phone, "phone is null");
            attributes = attributes.deepCopy();
            events = List.copyOf(events);
            purchases = List.copyOf(purchases);
            updates = List.copyOf(updates);
        }
    }

    /**
     * One object that a request applied (or tried to), for counting deliveries.
     *
     * @param requestNumber the request's number, from 1
     * @param endpoint such as {@code POST /users/track}
     * @param array the array it came in, such as {@code attributes} or {@code external_ids}
     * @param object the object as sent
     */
    public record Delivered(int requestNumber, String endpoint, String array, JsonNode object) {
        /** Validates the parts. */
        public Delivered {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(array, "array is null");
            requireNonNull(object, "object is null");
        }
    }

    /** A fault waiting for the next request. */
    private record Fault(int status, Duration delay, boolean drop, Duration reset, boolean retryAfter) {
    }

    private static final class MutableProfile {
        final String brazeId;
        String externalId;
        final Set<String> aliases = new HashSet<>();
        String email;
        String phone;
        final ObjectNode attributes = JSON.createObjectNode();
        final List<JsonNode> events = new ArrayList<>();
        final List<JsonNode> purchases = new ArrayList<>();
        final List<JsonNode> updates = new ArrayList<>();
        long lastUpdated;

        MutableProfile(String brazeId) {
            this.brazeId = brazeId;
        }

        Profile snapshot() {
            return new Profile(brazeId, Optional.ofNullable(externalId), aliases, Optional.ofNullable(email),
                    Optional.ofNullable(phone), attributes, events, purchases, updates);
        }
    }

    private final HttpServer server;
    private final String apiKey = "fake-braze-" + UUID.randomUUID();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestNumbers = new AtomicInteger();
    private final AtomicInteger earlyRetries = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Delivered> delivered = new ArrayList<>();
    private final List<MutableProfile> profiles = new ArrayList<>();
    // Indexes, so a benchmark's hundred thousand profiles do not make each update a scan.
    private final Map<String, MutableProfile> byExternalId = new HashMap<>();
    private final Map<String, MutableProfile> byAlias = new HashMap<>();
    private final Map<String, MutableProfile> byBrazeId = new HashMap<>();
    private final Map<String, Map<String, JsonNode>> catalogs = new LinkedHashMap<>();
    private Set<String> permissions = ALL_PERMISSIONS;
    private Predicate<JsonNode> rejected = object -> false;
    private String rejectionType = "";
    private Instant rateLimitedUntil = Instant.MIN;
    private Duration latency = Duration.ZERO;
    private long updateSequence;

    private TestingBrazeServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
    }

    /**
     * Starts a server on a free port of 127.0.0.1.
     *
     * @return the server, which the caller closes
     */
    public static TestingBrazeServer start() {
        return start(0);
    }

    /**
     * Starts a server on a port of 127.0.0.1.
     *
     * @param port the port, 0 for a free one
     * @return the server, which the caller closes
     */
    public static TestingBrazeServer start(int port) {
        HttpServer server = FakeHttpExchanges.server(port, "testing-braze-server");
        TestingBrazeServer braze = new TestingBrazeServer(server);
        server.start();
        return braze;
    }

    /**
     * The REST endpoint to configure a sink with.
     *
     * @return {@code http://127.0.0.1:PORT}
     */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    /**
     * The port served.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The one API key this server accepts, random per server.
     *
     * @return the key
     */
    public String apiKey() {
        return apiKey;
    }

    /**
     * Sets the permissions of the API key (all of {@link #ALL_PERMISSIONS} at start).
     *
     * @param granted such as {@code users.track}
     */
    public synchronized void setPermissions(Set<String> granted) {
        this.permissions = Set.copyOf(granted);
    }

    /**
     * Creates an empty catalog (catalog requests to a catalog that does not exist answer 404).
     *
     * @param name the catalog's name
     */
    public synchronized void createCatalog(String name) {
        catalogs.putIfAbsent(requireNonNull(name, "name is null"), new LinkedHashMap<>());
    }

    /**
     * Adds a user with an external id.
     *
     * @param externalId the external id
     * @return the user's braze id
     */
    public synchronized String addUser(String externalId) {
        MutableProfile profile = newProfile();
        profile.externalId = requireNonNull(externalId, "externalId is null");
        byExternalId.put(externalId, profile);
        return profile.brazeId;
    }

    /**
     * Answers the next requests with 429 and a reset time.
     *
     * @param count how many requests
     * @param reset how long from now the reset is, sent as {@code X-RateLimit-Reset} in UTC epoch seconds
     * @param retryAfter whether to send {@code Retry-After} (seconds) too
     */
    public synchronized void rateLimitNext(int count, Duration reset, boolean retryAfter) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(429, Duration.ZERO, false, reset, retryAfter));
        }
    }

    /**
     * Answers the next requests with an error status and Braze's fatal answer shape, without applying them.
     *
     * @param count how many requests
     * @param status such as 500 or 503, or a 4xx such as 400 that names no object
     */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, Duration.ZERO, false, Duration.ZERO, false));
        }
    }

    /**
     * Answers the next requests only after a delay (they are applied normally).
     *
     * @param count how many requests
     * @param delay how long each waits before it is applied and answered
     */
    public synchronized void delayNext(int count, Duration delay) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(0, delay, false, Duration.ZERO, false));
        }
    }

    /**
     * Makes every request wait before it is applied and answered, like a network round trip to a real instance.
     *
     * @param delay the wait, zero for none (the default)
     */
    public synchronized void setLatency(Duration delay) {
        this.latency = requireNonNull(delay, "delay is null");
    }

    /**
     * Closes the connection of the next requests without any answer and without applying them.
     *
     * @param count how many requests
     */
    public synchronized void dropNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(0, Duration.ZERO, true, Duration.ZERO, false));
        }
    }

    /**
     * Answers a non-fatal error for each {@code /users/track} object that matches, as Braze does for an invalid
     * object: the request succeeds, the error names the object's {@code input_array} and {@code index}, and the
     * object is not applied.
     *
     * @param objects which objects
     * @param type the error's text
     */
    public synchronized void rejectObjects(Predicate<JsonNode> objects, String type) {
        this.rejected = requireNonNull(objects, "objects is null");
        this.rejectionType = requireNonNull(type, "type is null");
    }

    /**
     * The profiles held, in creation order.
     *
     * @return copies of the profiles
     */
    public synchronized List<Profile> profiles() {
        return profiles.stream().map(MutableProfile::snapshot).toList();
    }

    /**
     * The profile with an external id.
     *
     * @param externalId the id
     * @return the profile, if one has it
     */
    public synchronized Optional<Profile> profileByExternalId(String externalId) {
        return Optional.ofNullable(byExternalId.get(externalId)).map(MutableProfile::snapshot);
    }

    /**
     * The profile with a user alias.
     *
     * @param name the alias name
     * @param label the alias label
     * @return the profile, if one has it
     */
    public synchronized Optional<Profile> profileByAlias(String name, String label) {
        return Optional.ofNullable(byAlias.get(label + ":" + name)).map(MutableProfile::snapshot);
    }

    /**
     * A catalog's items by id.
     *
     * @param name the catalog
     * @return a copy of its items, in insertion order; empty when there is no such catalog
     */
    public synchronized Map<String, JsonNode> catalogItems(String name) {
        Map<String, JsonNode> items = catalogs.get(name);
        return items == null ? Map.of() : new LinkedHashMap<>(items);
    }

    /**
     * Every object applied by an accepted request, in the order applied (objects a request was refused for, or
     * that got a per-index error, are not in it): the means to check that nothing was delivered twice.
     *
     * @return a copy of the list
     */
    public synchronized List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    /**
     * Every request received, as {@code METHOD path -> status} (or {@code -> dropped}), in the order answered.
     *
     * @return a copy of the list
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Requests that came back while a 429's reset had not passed: a client that does not wait.
     *
     * @return the count
     */
    public int earlyRetries() {
        return earlyRetries.get();
    }

    /**
     * The most requests served at the same time.
     *
     * @return the high-water mark
     */
    public int maxConcurrentRequests() {
        return maxConcurrent.get();
    }

    /**
     * Requests to paths or with methods this server does not serve, as {@code METHOD path}.
     *
     * @return a copy of the list
     */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpectedRequests);
    }

    @Override
    public void close() {
        FakeHttpExchanges.stop(server);
    }

    @Override
    public String toString() {
        return "TestingBrazeServer[" + url() + "]";
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String line = method + " " + path;
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            List<String> segments = segments(path);
            boolean track = method.equals("POST") && path.equals("/users/track");
            boolean delete = method.equals("POST") && path.equals("/users/delete");
            boolean catalog = (method.equals("PUT") || method.equals("DELETE")) && segments.size() == 3
                    && segments.get(0).equals("catalogs") && segments.get(2).equals("items");
            if (!track && !delete && !catalog) {
                unexpectedRequests.add(line);
                answer(exchange, line, 404, error("The fake Braze server does not serve " + line));
                return;
            }
            String permission = track ? "users.track" : delete ? "users.delete"
                    : method.equals("PUT") ? "catalogs.replace_items" : "catalogs.delete_items";
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.equals("Bearer " + apiKey)) {
                answer(exchange, line, 401, error("Invalid API key: " + (authorization == null ? "(none)" : "***")));
                return;
            }
            if (!permissionGranted(permission)) {
                answer(exchange, line, 403, error("Access Denied"));
                return;
            }
            if (rateLimitCheck(exchange, line)) {
                return;
            }
            Fault fault;
            Duration wait;
            synchronized (this) {
                fault = faults.poll();
                wait = latency;
            }
            sleep(wait);
            if (fault != null) {
                if (fault.drop) {
                    requests.add(line + " -> dropped");
                    // Closing the exchange before any response headers closes the connection: the client sees it drop.
                    return;
                }
                if (fault.status == 429) {
                    rateLimited(exchange, line, fault);
                    return;
                }
                if (fault.status != 0) {
                    answer(exchange, line, fault.status, error(fault.status >= 500 ? "Internal Server Error"
                            : "Bad Request (injected " + fault.status + ")"));
                    return;
                }
                sleep(fault.delay);
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                answer(exchange, line, 400, error("Content-Type must be application/json"));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                answer(exchange, line, 400, error("Invalid JSON in request body"));
                return;
            }
            if (body == null || !body.isObject()) {
                answer(exchange, line, 400, error("The request body must be a JSON object"));
                return;
            }
            int number = requestNumbers.incrementAndGet();
            Answer answer;
            synchronized (this) {
                answer = track ? track(number, line, (ObjectNode) body) : delete ? deleteUsers(number, line, (ObjectNode) body)
                        : catalogItems(number, line, method, segments.get(1), (ObjectNode) body);
            }
            answer(exchange, line, answer.status, answer.body);
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 so the client fails visibly rather than waiting.
            requests.add(line + " -> fake failed: " + e);
            exchange.sendResponseHeaders(500, -1);
            throw e;
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private record Answer(int status, ObjectNode body) {
    }

    private synchronized boolean permissionGranted(String permission) {
        return permissions.contains(permission);
    }

    /** A request that comes while an earlier 429's reset has not passed is refused again and counted. */
    private boolean rateLimitCheck(HttpExchange exchange, String line) throws IOException {
        Instant until;
        synchronized (this) {
            until = rateLimitedUntil;
        }
        if (Instant.now().isBefore(until)) {
            earlyRetries.incrementAndGet();
            rateLimited(exchange, line, new Fault(429, Duration.ZERO, false, Duration.between(Instant.now(), until),
                    false));
            return true;
        }
        return false;
    }

    private void rateLimited(HttpExchange exchange, String line, Fault fault) throws IOException {
        // Braze's reset is whole epoch seconds; the fake enforces the exact instant it names.
        long resetSeconds = (Instant.now().plus(fault.reset).toEpochMilli() + 999) / 1000;
        Instant until = Instant.ofEpochSecond(resetSeconds);
        synchronized (this) {
            if (until.isAfter(rateLimitedUntil)) {
                rateLimitedUntil = until;
            }
        }
        exchange.getResponseHeaders().set("X-RateLimit-Limit", "3000");
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", "0");
        exchange.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(resetSeconds));
        if (fault.retryAfter) {
            long seconds = Math.max(0, resetSeconds - Instant.now().getEpochSecond());
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        }
        answer(exchange, line, 429, error("Rate Limited"));
    }

    private void answer(HttpExchange exchange, String line, int status, ObjectNode body) throws IOException {
        requests.add(line + " -> " + status);
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ObjectNode error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("message", message);
        return body;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- /users/track

    private Answer track(int number, String line, ObjectNode body) {
        for (String array : List.of("attributes", "events", "purchases")) {
            JsonNode objects = body.get(array);
            if (objects != null && (!objects.isArray())) {
                return new Answer(400, error("'" + array + "' must be an array"));
            }
            if (objects != null && objects.size() > 75) {
                return new Answer(400, error("Max Input Length Exceeded"));
            }
        }
        ArrayNode errors = JSON.createArrayNode();
        Map<String, Integer> processed = new LinkedHashMap<>();
        // Braze processes attributes, then events, then purchases.
        for (String array : List.of("attributes", "events", "purchases")) {
            JsonNode objects = body.path(array);
            int count = 0;
            for (int index = 0; index < objects.size(); index++) {
                JsonNode object = objects.get(index);
                Optional<String> problem = object.isObject() ? trackProblem(array, (ObjectNode) object)
                        : Optional.of("Objects in '" + array + "' must be JSON objects");
                if (problem.isEmpty() && rejected.test(object)) {
                    problem = Optional.of(rejectionType);
                }
                if (problem.isPresent()) {
                    ObjectNode error = errors.addObject();
                    error.put("type", problem.get());
                    error.put("input_array", array);
                    error.put("index", index);
                    continue;
                }
                delivered.add(new Delivered(number, line, array, object.deepCopy()));
                apply(array, (ObjectNode) object);
                count++;
            }
            processed.put(array, count);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("message", "success");
        processed.forEach((array, count) -> {
            if (body.has(array)) {
                answer.put(array + "_processed", count);
            }
        });
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        return new Answer(201, answer);
    }

    private static Optional<String> trackProblem(String array, ObjectNode object) {
        int identifiers = 0;
        for (String key : IDENTIFIER_KEYS) {
            if (object.has(key)) {
                identifiers++;
            }
        }
        boolean emailAndPhone = identifiers == 2 && object.has("email") && object.has("phone");
        if (identifiers == 0) {
            return Optional.of("'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required");
        }
        if (identifiers > 1 && !emailAndPhone) {
            return Optional.of("Only one of 'external_id', 'braze_id', 'user_alias', 'email' or 'phone' may be given");
        }
        JsonNode alias = object.get("user_alias");
        if (alias != null && (!alias.path("alias_name").isTextual() || !alias.path("alias_label").isTextual())) {
            return Optional.of("'user_alias' must have 'alias_name' and 'alias_label'");
        }
        JsonNode updateOnly = object.get("_update_existing_only");
        if (updateOnly != null && !updateOnly.isBoolean()) {
            return Optional.of("'_update_existing_only' must be a boolean");
        }
        switch (array) {
            case "events":
                if (!object.path("name").isTextual() || object.path("name").asText().isEmpty()) {
                    return Optional.of("Event 'name' is required");
                }
                if (!object.path("time").isTextual()) {
                    return Optional.of("Event 'time' is required");
                }
                break;
            case "purchases":
                if (!object.path("product_id").isTextual()) {
                    return Optional.of("Purchase 'product_id' is required");
                }
                if (!CURRENCY.matcher(object.path("currency").asText("")).matches()) {
                    return Optional.of("Purchase 'currency' must be a three-letter ISO 4217 code");
                }
                if (!object.path("price").isNumber()) {
                    return Optional.of("Purchase 'price' must be a number");
                }
                if (!object.path("time").isTextual()) {
                    return Optional.of("Purchase 'time' is required");
                }
                break;
            default:
                break;
        }
        return Optional.empty();
    }

    private void apply(String array, ObjectNode object) {
        boolean aliasOnly = object.has("user_alias");
        boolean updateOnly = object.has("_update_existing_only") ? object.get("_update_existing_only").asBoolean()
                : aliasOnly;
        Optional<MutableProfile> found = find(object);
        MutableProfile profile;
        if (found.isPresent()) {
            profile = found.get();
        } else if (updateOnly || object.has("braze_id")) {
            // Braze skips an update-only object for a user that does not exist, without an error.
            return;
        } else {
            profile = newProfile();
            if (object.has("external_id")) {
                profile.externalId = object.get("external_id").asText();
                byExternalId.put(profile.externalId, profile);
            } else if (aliasOnly) {
                String alias = object.get("user_alias").get("alias_label").asText() + ":"
                        + object.get("user_alias").get("alias_name").asText();
                profile.aliases.add(alias);
                byAlias.put(alias, profile);
            } else if (object.has("email")) {
                profile.email = object.get("email").asText();
            } else {
                profile.phone = object.get("phone").asText();
            }
        }
        profile.lastUpdated = ++updateSequence;
        profile.updates.add(object.deepCopy());
        switch (array) {
            case "attributes":
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    String key = field.getKey();
                    if (IDENTIFIER_KEYS.contains(key) || key.equals("_update_existing_only")) {
                        continue;
                    }
                    JsonNode value = field.getValue();
                    if (value.isObject() && value.size() == 1 && value.path("inc").isNumber()) {
                        profile.attributes.put(key, profile.attributes.path(key).asDouble(0) + value.get("inc").asDouble());
                    } else if (value.isNull()) {
                        profile.attributes.remove(key);
                    } else {
                        profile.attributes.set(key, value.deepCopy());
                    }
                }
                break;
            case "events":
                profile.events.add(object.deepCopy());
                break;
            default:
                profile.purchases.add(object.deepCopy());
                break;
        }
    }

    private Optional<MutableProfile> find(ObjectNode object) {
        if (object.has("external_id")) {
            return Optional.ofNullable(byExternalId.get(object.get("external_id").asText()));
        }
        if (object.has("user_alias")) {
            return Optional.ofNullable(byAlias.get(object.get("user_alias").get("alias_label").asText() + ":"
                    + object.get("user_alias").get("alias_name").asText()));
        }
        if (object.has("braze_id")) {
            return Optional.ofNullable(byBrazeId.get(object.get("braze_id").asText()));
        }
        // Email (used when both are given) or phone: the most recently updated profile that has it.
        boolean byEmail = object.has("email");
        String value = object.get(byEmail ? "email" : "phone").asText();
        return profiles.stream().filter(p -> value.equals(byEmail ? p.email : p.phone))
                .max((a, b) -> Long.compare(a.lastUpdated, b.lastUpdated));
    }

    private MutableProfile newProfile() {
        MutableProfile profile = new MutableProfile(UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        profile.lastUpdated = ++updateSequence;
        profiles.add(profile);
        byBrazeId.put(profile.brazeId, profile);
        return profile;
    }

    // ---- /users/delete

    private Answer deleteUsers(int number, String line, ObjectNode body) {
        int ids = 0;
        for (String array : List.of("external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers")) {
            JsonNode values = body.get(array);
            if (values != null && !values.isArray()) {
                return new Answer(400, error("'" + array + "' must be an array"));
            }
            ids += values == null ? 0 : values.size();
        }
        if (ids > 50) {
            return new Answer(400, error("The max number of ids per request was exceeded"));
        }
        if (ids == 0) {
            return new Answer(400, error("No ids to delete"));
        }
        for (JsonNode id : body.path("external_ids")) {
            delivered.add(new Delivered(number, line, "external_ids", id.deepCopy()));
            remove(byExternalId.get(id.asText()));
        }
        for (JsonNode id : body.path("braze_ids")) {
            delivered.add(new Delivered(number, line, "braze_ids", id.deepCopy()));
            remove(byBrazeId.get(id.asText()));
        }
        for (JsonNode alias : body.path("user_aliases")) {
            delivered.add(new Delivered(number, line, "user_aliases", alias.deepCopy()));
            remove(byAlias.get(alias.path("alias_label").asText() + ":" + alias.path("alias_name").asText()));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("deleted", ids);
        return new Answer(202, answer);
    }

    private void remove(MutableProfile profile) {
        if (profile == null) {
            return;
        }
        profiles.remove(profile);
        byBrazeId.remove(profile.brazeId);
        if (profile.externalId != null) {
            byExternalId.remove(profile.externalId);
        }
        profile.aliases.forEach(byAlias::remove);
    }

    // ---- /catalogs/{name}/items

    private Answer catalogItems(int number, String line, String method, String catalog, ObjectNode body) {
        Map<String, JsonNode> items = catalogs.get(catalog);
        if (items == null) {
            return new Answer(404, catalogError("catalog-not-found", "Could not find catalog", List.of(catalog)));
        }
        JsonNode array = body.get("items");
        if (array == null || !array.isArray()) {
            return new Answer(400, catalogError("item-array-invalid", "'items' must be an array of objects", List.of()));
        }
        if (array.size() > 50) {
            return new Answer(400, catalogError("request-includes-too-many-items", "Request includes too many items",
                    List.of()));
        }
        ArrayNode errors = JSON.createArrayNode();
        Set<String> seen = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode item : array) {
            JsonNode id = item.get("id");
            if (id == null) {
                missing.add("");
                continue;
            }
            if (!id.isTextual()) {
                errors.add(catalogErrorEntry("ids-not-string", "Item ids must be strings", List.of(id.asText())));
                continue;
            }
            String text = id.asText();
            if (text.length() > 250) {
                errors.add(catalogErrorEntry("ids-too-large", "Item ids must be at most 250 characters", List.of(text)));
            } else if (!CATALOG_ID.matcher(text).matches()) {
                errors.add(catalogErrorEntry("invalid-ids", "Item ids may only have letters, numbers, hyphens and "
                        + "underscores", List.of(text)));
            } else if (!seen.add(text)) {
                errors.add(catalogErrorEntry("ids-not-unique", "Item ids must be unique in a request", List.of(text)));
            }
            if (method.equals("PUT")) {
                Iterator<String> keys = item.fieldNames();
                while (keys.hasNext()) {
                    String key = keys.next();
                    if (key.contains(".") || key.contains("$")) {
                        errors.add(catalogErrorEntry("invalid-keys-in-value-object", "Keys may not contain '.' or '$'",
                                List.of(text)));
                        break;
                    }
                }
                item.properties().forEach(field -> {
                    if (field.getValue().isTextual() && field.getValue().asText().length() > 5000) {
                        errors.add(catalogErrorEntry("items-too-large", "Item values must be at most 5,000 characters",
                                List.of(text)));
                    }
                });
            }
        }
        if (!missing.isEmpty()) {
            errors.add(catalogErrorEntry("items-missing-ids", "Items must have ids", List.of()));
        }
        if (!errors.isEmpty()) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("message", "Invalid Request");
            answer.set("errors", errors);
            return new Answer(400, answer);
        }
        for (JsonNode item : array) {
            delivered.add(new Delivered(number, line, "items", item.deepCopy()));
            String id = item.get("id").asText();
            if (method.equals("PUT")) {
                items.put(id, item.deepCopy());
            } else {
                items.remove(id);
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("message", "success");
        return new Answer(202, answer);
    }

    private static ObjectNode catalogError(String id, String message, List<String> values) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("message", "Invalid Request");
        answer.putArray("errors").add(catalogErrorEntry(id, message, values));
        return answer;
    }

    private static ObjectNode catalogErrorEntry(String id, String message, List<String> values) {
        ObjectNode error = JSON.createObjectNode();
        error.put("id", id);
        error.put("message", message);
        error.putArray("parameters").add("id");
        ArrayNode parameterValues = error.putArray("parameter_values");
        values.forEach(parameterValues::add);
        return error;
    }
}
