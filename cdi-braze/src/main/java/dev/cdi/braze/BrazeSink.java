package dev.cdi.braze;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RowSink} that delivers resolved rows to Braze's REST API: attributes, events and purchases to
 * {@code POST /users/track} (75 objects per request), user deletes to {@code POST /users/delete} (50 ids per
 * request), catalog rows to {@code PUT} and {@code DELETE /catalogs/{catalogName}/items} (50 items per request).
 *
 * <pre>{@code
 * BrazeSink sink = new BrazeSink(BrazeSinkConfig.builder()
 *         .endpoint("https://rest.iad-01.braze.com")
 *         .apiKey(System.getenv("BRAZE_API_KEY"))
 *         .build());
 * RunResult result = engine.run(spec, sink);
 * }</pre>
 *
 * <p>How Braze's answers become outcomes:
 * <ul>
 *   <li>2xx: every row accepted, except those a {@code /users/track} answer names in its {@code errors} (by
 *       {@code input_array} and {@code index}), which are rejected with {@link RowErrorCode#REJECTED_BY_SINK} and
 *       Braze's text.</li>
 *   <li>400 and other 4xx that are the data's fault: the rows Braze names (by index, or by catalog item id) are
 *       rejected with its text and the others sent again without them; when it names none, every row of the
 *       request is rejected with its message.</li>
 *   <li>401 and 403: the batch fails with a {@link CdiException} of {@link ErrorCode#AUTHENTICATION_FAILED} or
 *       {@link ErrorCode#PERMISSION_DENIED}, not retryable, so the run ends with that error. 404 (an unknown catalog
 *       or endpoint) and a redirect are {@link ErrorCode#INVALID_CONFIGURATION}.</li>
 *   <li>429: waits until the reset the answer names ({@code Retry-After} seconds, else {@code X-RateLimit-Reset} as
 *       UTC epoch seconds, else exponential back-off) and sends the request again, up to
 *       {@link BrazeSinkConfig#maxRateLimitWaits()} times.</li>
 *   <li>408, 5xx and network errors (refused or dropped connections, timeouts): sent again after an exponential
 *       back-off with jitter, up to {@link BrazeSinkConfig#maxAttempts()} tries; then the batch fails with
 *       {@link ErrorCode#SINK_FAILED}, which the pipeline retries and, failing that, ends the run with the watermark
 *       before the batch.</li>
 * </ul>
 *
 * <p>At most {@link BrazeSinkConfig#maxRequestsInFlight()} requests are open at once. A user's (or catalog item's)
 * rows are never in one request together: a later row goes in a later request, which is sent only after the
 * earlier one has been answered, so a user's later row never overtakes an earlier one.
 *
 * <p>Thread-safe: one sink may serve several runs at once, which then share its limit of requests in flight.
 */
@Experimental
public final class BrazeSink implements RowSink {
    private static final Logger log = LoggerFactory.getLogger(BrazeSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A bounded excerpt of an answer in a message: Braze's answers are short, a proxy's error page may not be. */
    private static final int EXCERPT = 1000;

    private final BrazeSinkConfig config;
    private final String name;
    private final HttpClient client;
    private final InFlightLimit limit;
    private final AtomicLong requestsSent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimitWaits = new AtomicLong();

    /**
     * Creates a sink.
     *
     * @param config the settings
     */
    public BrazeSink(BrazeSinkConfig config) {
        this(config, "braze");
    }

    /**
     * Creates a sink whose log lines start with a name, such as the integration's.
     *
     * @param config the settings
     * @param name the prefix of its log lines and messages
     */
    public BrazeSink(BrazeSinkConfig config, String name) {
        this.config = requireNonNull(config, "config is null");
        this.name = requireNonNull(name, "name is null");
        this.client = HttpClient.newBuilder()
                // HTTP/2 multiplexes the requests in flight over one TLS connection; plain http (a local fake)
                // stays on HTTP/1.1 rather than attempt an upgrade.
                .version(config.endpoint().getScheme().equals("https") ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.limit = new InFlightLimit(config.maxRequestsInFlight());
    }

    /**
     * The settings.
     *
     * @return the settings this sink was created with
     */
    public BrazeSinkConfig config() {
        return config;
    }

    /**
     * How many HTTP requests this sink has sent, retries included.
     *
     * @return the count since the sink was created
     */
    public long requestsSent() {
        return requestsSent.get();
    }

    /**
     * How many requests were sent again after a 5xx answer or a network error.
     *
     * @return the count since the sink was created
     */
    public long retries() {
        return retries.get();
    }

    /**
     * How many 429 answers were waited out.
     *
     * @return the count since the sink was created
     */
    public long rateLimitWaits() {
        return rateLimitWaits.get();
    }

    @Override
    public CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        requireNonNull(batch, "batch is null");
        BrazeRequests.Plan plan = BrazeRequests.plan(batch, config.catalogName(), config.trackObjectsPerRequest());
        BatchState state = new BatchState(batch.size());
        plan.rejected().forEach((row, outcome) -> state.outcomes[row] = outcome);
        List<BrazeRequests.Request> requests = plan.requests();
        List<CompletableFuture<Void>> done = new ArrayList<>(requests.size());
        for (BrazeRequests.Request request : requests) {
            CompletableFuture<?>[] before = request.dependsOn.stream().map(done::get).toArray(CompletableFuture[]::new);
            CompletableFuture<Void> ready = before.length == 0 ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.allOf(before);
            done.add(ready.thenCompose(ignored -> state.failure.get() != null ? CompletableFuture.<Void>completedFuture(null)
                    : limit.submit(() -> deliver(request, state))));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            CdiException failure = state.failure.get();
            if (failure != null) {
                throw failure;
            }
            return Arrays.asList(state.outcomes);
        });
    }

    @Override
    public String toString() {
        return "BrazeSink[" + name + ", " + config.endpoint() + "]";
    }

    /** The outcomes of one batch and its first failure; requests not yet sent when a request fails are not sent. */
    private static final class BatchState {
        final RowOutcome[] outcomes;
        final AtomicReference<CdiException> failure = new AtomicReference<>();

        BatchState(int rows) {
            this.outcomes = new RowOutcome[rows];
        }

        void fail(CdiException exception) {
            // A failure that ends the run (authentication) wins over one the pipeline would retry.
            failure.accumulateAndGet(exception, (old, next) -> old == null || (old.retryable() && !next.retryable())
                    ? next : old);
        }
    }

    /** One request's delivery: its rows still to send (positions within the request) and its counts of tries. */
    private final class Delivery {
        final BrazeRequests.Request request;
        final BatchState state;
        List<Integer> pending;
        int failures;
        int rateLimited;

        Delivery(BrazeRequests.Request request, BatchState state) {
            this.request = request;
            this.state = state;
            this.pending = new ArrayList<>(request.rows.size());
            for (int i = 0; i < request.rows.size(); i++) {
                pending.add(i);
            }
        }

        void accept(int position) {
            state.outcomes[request.rows.get(position)] = RowOutcome.accepted();
        }

        void reject(int position, String message) {
            state.outcomes[request.rows.get(position)] = RowOutcome.rejected(RowErrorCode.REJECTED_BY_SINK,
                    excerpt(message));
        }
    }

    /** Sends a request until every row of it has an outcome, or the batch has failed; never completes exceptionally. */
    private CompletableFuture<Void> deliver(BrazeRequests.Request request, BatchState state) {
        return attempt(new Delivery(request, state)).exceptionally(unexpected -> {
            Throwable cause = unexpected instanceof CompletionException && unexpected.getCause() != null
                    ? unexpected.getCause() : unexpected;
            state.fail(cause instanceof CdiException cdi ? cdi : new CdiException(ErrorCode.SINK_FAILED, "[" + name
                    + "] " + request + " failed: " + cause, cause));
            return null;
        });
    }

    private CompletableFuture<Void> attempt(Delivery delivery) {
        if (delivery.state.failure.get() != null) {
            // Another request of the batch failed: the batch is sent again as a whole, so stop here.
            return CompletableFuture.completedFuture(null);
        }
        BrazeRequests.Request request = delivery.request;
        HttpRequest http = HttpRequest.newBuilder(URI.create(config.endpoint() + request.path))
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(request.method, HttpRequest.BodyPublishers.ofString(request.body(delivery.pending),
                        StandardCharsets.UTF_8))
                .build();
        requestsSent.incrementAndGet();
        return client.sendAsync(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> error != null ? networkError(delivery, error) : answered(delivery, response))
                .thenCompose(next -> next);
    }

    private CompletableFuture<Void> networkError(Delivery delivery, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof IOException)) {
            return CompletableFuture.failedFuture(cause);
        }
        return retry(delivery, "a network error: " + cause);
    }

    private CompletableFuture<Void> answered(Delivery delivery, HttpResponse<String> response) {
        int status = response.statusCode();
        BrazeRequests.Request request = delivery.request;
        if (status >= 200 && status < 300) {
            accepted(delivery, body(response));
            return CompletableFuture.completedFuture(null);
        }
        if (status == 429) {
            return rateLimited(delivery, response);
        }
        if (status == 408 || status >= 500) {
            return retry(delivery, "HTTP " + status + " " + message(body(response), response.body()));
        }
        Optional<JsonNode> body = body(response);
        String message = message(body, response.body());
        if (status == 401) {
            throw new CdiException(ErrorCode.AUTHENTICATION_FAILED, "[" + name + "] Braze refused the REST API key ("
                    + request.method + " " + request.path + " answered 401: " + message + "); check the apiKey setting");
        }
        if (status == 403) {
            throw new CdiException(ErrorCode.PERMISSION_DENIED, "[" + name + "] The REST API key lacks a permission ("
                    + request.method + " " + request.path + " answered 403: " + message + "); give the key "
                    + permission(request.kind));
        }
        if (status >= 300 && status < 400) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "[" + name + "] " + request.method + " "
                    + request.path + " was redirected (" + status + ") to " + response.headers().firstValue("Location")
                    .orElse("(no location)") + "; set the endpoint setting to the instance's REST endpoint itself");
        }
        if (status == 404) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "[" + name + "] " + request.method + " "
                    + request.path + " answered 404: " + message + (request.kind == BrazeRequests.Kind.TRACK
                    || request.kind == BrazeRequests.Kind.DELETE_USERS ? "; check the endpoint setting"
                    : "; check the catalogName setting and that the catalog exists in Braze"));
        }
        return refused(delivery, status, body, message);
    }

    /** A 2xx answer: every pending row accepted but those a {@code /users/track} answer names in its errors. */
    private void accepted(Delivery delivery, Optional<JsonNode> body) {
        Map<Integer, String> named = delivery.request.kind == BrazeRequests.Kind.TRACK
                ? namedByIndex(delivery, body) : Map.of();
        if (!named.isEmpty()) {
            log.debug("[{}] {} accepted with {} row errors", name, delivery.request, named.size());
        }
        for (int i = 0; i < delivery.pending.size(); i++) {
            String error = named.get(i);
            if (error == null) {
                delivery.accept(delivery.pending.get(i));
            } else {
                delivery.reject(delivery.pending.get(i), "Braze: " + error);
            }
        }
    }

    /** A 4xx that is the data's fault: reject what Braze names and send the rest again, or reject every row. */
    private CompletableFuture<Void> refused(Delivery delivery, int status, Optional<JsonNode> body, String message) {
        Map<Integer, String> named = delivery.request.kind == BrazeRequests.Kind.TRACK ? namedByIndex(delivery, body)
                : delivery.request.kind == BrazeRequests.Kind.CATALOG_REPLACE
                || delivery.request.kind == BrazeRequests.Kind.CATALOG_DELETE ? namedById(delivery, body) : Map.of();
        if (named.isEmpty() || named.size() >= delivery.pending.size()) {
            for (int i = 0; i < delivery.pending.size(); i++) {
                delivery.reject(delivery.pending.get(i), "Braze answered " + status + ": "
                        + named.getOrDefault(i, message));
            }
            return CompletableFuture.completedFuture(null);
        }
        // Braze applied nothing of a refused request: the rows it did not name are sent again without the others.
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < delivery.pending.size(); i++) {
            String error = named.get(i);
            if (error == null) {
                rest.add(delivery.pending.get(i));
            } else {
                delivery.reject(delivery.pending.get(i), "Braze answered " + status + ": " + error);
            }
        }
        log.debug("[{}] {} answered {} naming {} rows; sending the other {} again", name, delivery.request, status,
                named.size(), rest.size());
        delivery.pending = rest;
        return attempt(delivery);
    }

    private CompletableFuture<Void> rateLimited(Delivery delivery, HttpResponse<String> response) {
        delivery.rateLimited++;
        rateLimitWaits.incrementAndGet();
        if (delivery.rateLimited > config.maxRateLimitWaits()) {
            return CompletableFuture.failedFuture(new CdiException(ErrorCode.SINK_FAILED, "[" + name + "] "
                    + delivery.request + " was rate limited (429) " + delivery.rateLimited + " times in a row; "
                    + "the watermark stays before this batch"));
        }
        Optional<Duration> reset = resetOf(response);
        Duration wait = reset.orElseGet(() -> backoff(delivery.rateLimited));
        if (wait.compareTo(config.maxRateLimitWait()) > 0) {
            return CompletableFuture.failedFuture(new CdiException(ErrorCode.SINK_FAILED, "[" + name + "] "
                    + delivery.request + " was rate limited (429) until " + wait.toSeconds() + " s from now, longer "
                    + "than maxRateLimitWait " + config.maxRateLimitWait() + "; the watermark stays before this batch"));
        }
        log.debug("[{}] {} rate limited (429), waiting {} ms for the reset", name, delivery.request, wait.toMillis());
        return after(wait, () -> attempt(delivery));
    }

    private CompletableFuture<Void> retry(Delivery delivery, String what) {
        delivery.failures++;
        if (delivery.failures >= config.maxAttempts()) {
            return CompletableFuture.failedFuture(new CdiException(ErrorCode.SINK_FAILED, "[" + name + "] "
                    + delivery.request + " failed " + delivery.failures + " times, last with " + excerpt(what)
                    + "; the watermark stays before this batch"));
        }
        Duration wait = backoff(delivery.failures);
        retries.incrementAndGet();
        log.debug("[{}] {} got {}, try {} of {} in {} ms", name, delivery.request, what, delivery.failures + 1,
                config.maxAttempts(), wait.toMillis());
        return after(wait, () -> attempt(delivery));
    }

    /** Exponential back-off from the initial one, capped, with up to half of it random so retries spread out. */
    private Duration backoff(int failures) {
        long base = config.initialBackoff().toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }

    /** The reset a 429 names: {@code Retry-After} seconds, else {@code X-RateLimit-Reset} as UTC epoch seconds. */
    private static Optional<Duration> resetOf(HttpResponse<String> response) {
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(retryAfter.get().strip())
                        * 1000))));
            } catch (NumberFormatException httpDate) {
                // An HTTP date: Braze sends seconds, so fall through to its own header.
            }
        }
        Optional<String> reset = response.headers().firstValue("X-RateLimit-Reset");
        if (reset.isPresent()) {
            try {
                long resetMillis = Math.round(Double.parseDouble(reset.get().strip()) * 1000);
                return Optional.of(Duration.ofMillis(Math.max(0, resetMillis - System.currentTimeMillis())));
            } catch (NumberFormatException unreadable) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static <T> CompletableFuture<T> after(Duration wait, Supplier<CompletableFuture<T>> next) {
        if (wait.isZero()) {
            return next.get();
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toMillis(),
                TimeUnit.MILLISECONDS)).thenCompose(ignored -> next.get());
    }

    /**
     * The errors of a {@code /users/track} answer by position in the pending rows: Braze gives each error's
     * {@code input_array} and {@code index} into the array it was sent.
     */
    private static Map<Integer, String> namedByIndex(Delivery delivery, Optional<JsonNode> body) {
        Map<Integer, String> named = new LinkedHashMap<>();
        JsonNode errors = body.map(node -> node.path("errors")).orElse(null);
        if (errors == null || !errors.isArray()) {
            return named;
        }
        for (JsonNode error : errors) {
            JsonNode index = error.path("index");
            String array = error.path("input_array").asText(delivery.request.arrayName);
            if (index.canConvertToInt() && array.equals(delivery.request.arrayName) && index.asInt() >= 0
                    && index.asInt() < delivery.pending.size()) {
                named.merge(index.asInt(), errorText(error), (first, second) -> first + "; " + second);
            }
        }
        return named;
    }

    /** The errors of a catalog answer by position in the pending rows: Braze names items in parameter_values. */
    private static Map<Integer, String> namedById(Delivery delivery, Optional<JsonNode> body) {
        Map<Integer, String> named = new LinkedHashMap<>();
        JsonNode errors = body.map(node -> node.path("errors")).orElse(null);
        if (errors == null || !errors.isArray()) {
            return named;
        }
        for (JsonNode error : errors) {
            Set<String> ids = new HashSet<>();
            error.path("parameter_values").forEach(value -> ids.add(value.asText()));
            for (int i = 0; i < delivery.pending.size(); i++) {
                if (ids.contains(delivery.request.itemIds.get(delivery.pending.get(i)))) {
                    named.merge(i, errorText(error), (first, second) -> first + "; " + second);
                }
            }
        }
        return named;
    }

    private static String errorText(JsonNode error) {
        if (error.isTextual()) {
            return error.asText();
        }
        List<String> parts = new ArrayList<>();
        for (String field : List.of("id", "type", "message")) {
            JsonNode value = error.get(field);
            if (value != null && value.isTextual() && !parts.contains(value.asText())) {
                parts.add(value.asText());
            }
        }
        return parts.isEmpty() ? error.toString() : String.join(": ", parts);
    }

    private static Optional<JsonNode> body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(text));
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** Braze's message, with its errors when it gives any, else an excerpt of the raw answer. */
    private static String message(Optional<JsonNode> body, String raw) {
        if (body.isEmpty() || !body.get().isObject()) {
            return raw == null || raw.isBlank() ? "(no answer body)" : excerpt(raw);
        }
        JsonNode node = body.get();
        StringBuilder text = new StringBuilder(node.path("message").asText("(no message)"));
        JsonNode errors = node.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            List<String> shown = new ArrayList<>();
            errors.forEach(error -> shown.add(errorText(error)));
            text.append(" (").append(String.join("; ", shown)).append(')');
        }
        return excerpt(text.toString());
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "... (" + text.length() + " characters)";
    }

    private static String permission(BrazeRequests.Kind kind) {
        return switch (kind) {
            case TRACK -> "users.track";
            case DELETE_USERS -> "users.delete";
            case CATALOG_REPLACE -> "catalogs.replace_items";
            case CATALOG_DELETE -> "catalogs.delete_items";
        };
    }

    /**
     * Bounds the requests open at once. A task waits in line without holding a thread; its slot is freed when the
     * stage it started completes, so a request keeps its slot while it waits to be retried.
     */
    private static final class InFlightLimit {
        private final int max;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        private int running;

        InFlightLimit(int max) {
            this.max = max;
        }

        <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
            CompletableFuture<T> result = new CompletableFuture<>();
            Runnable start = () -> {
                CompletableFuture<T> stage;
                try {
                    stage = task.get();
                } catch (RuntimeException thrown) {
                    stage = CompletableFuture.failedFuture(thrown);
                }
                stage.whenComplete((value, error) -> {
                    release();
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            };
            boolean now;
            synchronized (this) {
                now = running < max;
                if (now) {
                    running++;
                } else {
                    waiting.add(start);
                }
            }
            if (now) {
                start.run();
            }
            return result;
        }

        private void release() {
            Runnable next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                }
            }
            if (next != null) {
                next.run();
            }
        }
    }
}
