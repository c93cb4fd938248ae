package dev.cdi.braze;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of a {@link BrazeSink}: where Braze is, the REST API key, the catalog for catalog integrations, and
 * how hard to push and how long to keep trying.
 *
 * <p>Immutable and thread-safe. Built with {@link #builder()}, which validates every setting; {@link #toString()}
 * never shows the API key.
 *
 * @param endpoint the REST endpoint of the Braze instance, such as {@code https://rest.iad-01.braze.com}; https,
 *        or http only to {@code 127.0.0.1} (a local fake); no path, query or user info
 * @param apiKey the REST API key, sent as a bearer token; a secret
 * @param catalogName the catalog that catalog integrations write to; empty for user data
 * @param trackObjectsPerRequest the most objects per {@code /users/track} request; default 75, Braze's limit per object
 *        kind, 1 to 75 (customers on Braze's "Monthly Active Users - CY 24-25" plan may batch only 50 updates per
 *        request, combined across kinds: set 50)
 * @param maxRequestsInFlight the most requests this sink has open at once, across its batches; default 4, 1 to 64
 * @param maxAttempts how many times one request is tried on 5xx answers and network errors before its batch fails;
 *        default 5, 1 to 20
 * @param initialBackoff the wait before the first retry of a request after a 5xx or a network error, doubled on
 *        each further retry up to {@code maxBackoff}, with up to half of it random (jitter); default 500 ms
 * @param maxBackoff the longest wait between two tries of a request; default 30 s
 * @param maxRateLimitWaits how many 429 answers one request may get (each waited out until the reset Braze names)
 *        before its batch fails; default 20, 1 to 1,000
 * @param maxRateLimitWait the longest reset Braze may name in a 429 answer that is waited out; a longer one fails the
 *        batch at once (the run's own retry or the next run sends it); default 2 minutes
 * @param requestTimeout how long one request may take before it counts as a network error; default 30 s
 * @param connectTimeout how long opening a connection may take; default 10 s
 */
@Experimental
public record BrazeSinkConfig(
        URI endpoint,
        String apiKey,
        Optional<String> catalogName,
        int trackObjectsPerRequest,
        int maxRequestsInFlight,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxRateLimitWaits,
        Duration maxRateLimitWait,
        Duration requestTimeout,
        Duration connectTimeout) {

    /** Braze's catalog names: letters, digits, hyphens and underscores, as its catalog management API allows. */
    private static final Pattern CATALOG_NAME = Pattern.compile("[A-Za-z0-9_-]{1,250}");

    /** Validates every setting. */
    public BrazeSinkConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(maxRateLimitWait, "maxRateLimitWait is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        endpoint = checkedEndpoint(endpoint);
        if (apiKey.isBlank() || !apiKey.strip().equals(apiKey) || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw invalid("apiKey must be the REST API key: printable ASCII without spaces");
        }
        catalogName.ifPresent(name -> {
            if (!CATALOG_NAME.matcher(name).matches()) {
                throw invalid("catalogName must be 1 to 250 letters, digits, hyphens or underscores");
            }
        });
        requireRange(trackObjectsPerRequest, 1, 75, "trackObjectsPerRequest");
        requireRange(maxRequestsInFlight, 1, 64, "maxRequestsInFlight");
        requireRange(maxAttempts, 1, 20, "maxAttempts");
        requireRange(maxRateLimitWaits, 1, 1000, "maxRateLimitWaits");
        requireNotNegative(initialBackoff, "initialBackoff");
        requireNotNegative(maxBackoff, "maxBackoff");
        requireNotNegative(maxRateLimitWait, "maxRateLimitWait");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw invalid("maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
        }
    }

    /**
     * A builder with the defaults; endpoint and API key must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .endpoint(endpoint)
                .apiKey(apiKey)
                .catalogName(catalogName)
                .trackObjectsPerRequest(trackObjectsPerRequest)
                .maxRequestsInFlight(maxRequestsInFlight)
                .maxAttempts(maxAttempts)
                .initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff)
                .maxRateLimitWaits(maxRateLimitWaits)
                .maxRateLimitWait(maxRateLimitWait)
                .requestTimeout(requestTimeout)
                .connectTimeout(connectTimeout);
    }

    @Override
    public String toString() {
        return "BrazeSinkConfig[endpoint=" + endpoint + ", apiKey=***" + catalogName.map(name -> ", catalogName=" + name)
                .orElse("") + ", trackObjectsPerRequest=" + trackObjectsPerRequest + ", maxRequestsInFlight="
                + maxRequestsInFlight + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxRateLimitWaits="
                + maxRateLimitWaits + ", maxRateLimitWait=" + maxRateLimitWait + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + "]";
    }

    private static URI checkedEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost();
        if (!endpoint.isAbsolute() || host == null || host.isEmpty()) {
            throw invalid("endpoint " + shown(endpoint) + " is not an absolute URL such as https://rest.iad-01.braze.com");
        }
        if (endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw invalid("endpoint " + shown(endpoint) + " must not carry user info, a query or a fragment");
        }
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw invalid("endpoint " + shown(endpoint) + " must have no path: give the instance's root URL, such as "
                    + "https://rest.iad-01.braze.com");
        }
        if (scheme.equals("http")) {
            if (!host.equals("127.0.0.1")) {
                throw invalid("endpoint " + shown(endpoint) + " must use https (http is accepted only for 127.0.0.1, a "
                        + "local fake), so that the API key never crosses a network in clear text");
            }
        } else if (!scheme.equals("https")) {
            throw invalid("endpoint " + shown(endpoint) + " must be an https URL");
        }
        try {
            return new URI(scheme, null, host, endpoint.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw invalid("endpoint " + shown(endpoint) + " is not a valid URL: " + e.getMessage());
        }
    }

    /** An endpoint as shown in a message: scheme, host and port only, never user info or query. */
    private static String shown(URI endpoint) {
        String host = endpoint.getHost() == null ? "?" : endpoint.getHost();
        return (endpoint.getScheme() == null ? "" : endpoint.getScheme() + "://") + host
                + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    }

    private static void requireRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw invalid(name + " must be " + min + " to " + max + ", not " + value);
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        if (value.isNegative()) {
            throw invalid(name + " must not be negative, not " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw invalid(name + " must be positive, not " + value);
        }
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, "Braze sink: " + message);
    }

    /**
     * Builds a {@link BrazeSinkConfig}. Not thread-safe.
     */
    public static final class Builder {
        private URI endpoint;
        private String apiKey;
        private Optional<String> catalogName = Optional.empty();
        private int trackObjectsPerRequest = 75;
        private int maxRequestsInFlight = 4;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int maxRateLimitWaits = 20;
        private Duration maxRateLimitWait = Duration.ofMinutes(2);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * Sets the REST endpoint.
         *
         * @param endpoint such as {@code https://rest.iad-01.braze.com}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = requireNonNull(endpoint, "endpoint is null");
            return this;
        }

        /**
         * Sets the REST endpoint from text.
         *
         * @param endpoint such as {@code https://rest.iad-01.braze.com}
         * @return this builder
         * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when it is not a URL
         */
        public Builder endpoint(String endpoint) {
            requireNonNull(endpoint, "endpoint is null");
            try {
                return endpoint(new URI(endpoint.strip()));
            } catch (URISyntaxException e) {
                throw invalid("endpoint is not a valid URL: " + e.getReason());
            }
        }

        /**
         * Sets the REST API key.
         *
         * @param apiKey the key; a secret
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey is null");
            return this;
        }

        /**
         * Sets the catalog for catalog integrations.
         *
         * @param catalogName the catalog's name
         * @return this builder
         */
        public Builder catalogName(String catalogName) {
            this.catalogName = Optional.of(requireNonNull(catalogName, "catalogName is null"));
            return this;
        }

        /**
         * Sets or clears the catalog for catalog integrations.
         *
         * @param catalogName the catalog's name, or empty
         * @return this builder
         */
        public Builder catalogName(Optional<String> catalogName) {
            this.catalogName = requireNonNull(catalogName, "catalogName is null");
            return this;
        }

        /**
         * Sets the most objects per {@code /users/track} request.
         *
         * @param trackObjectsPerRequest 1 to 75
         * @return this builder
         */
        public Builder trackObjectsPerRequest(int trackObjectsPerRequest) {
            this.trackObjectsPerRequest = trackObjectsPerRequest;
            return this;
        }

        /**
         * Sets the most requests open at once.
         *
         * @param maxRequestsInFlight 1 to 64
         * @return this builder
         */
        public Builder maxRequestsInFlight(int maxRequestsInFlight) {
            this.maxRequestsInFlight = maxRequestsInFlight;
            return this;
        }

        /**
         * Sets how many times a request is tried on 5xx answers and network errors.
         *
         * @param maxAttempts 1 to 20
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the wait before the first retry after a 5xx answer or a network error.
         *
         * @param initialBackoff not negative
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
            return this;
        }

        /**
         * Sets the longest wait between two tries.
         *
         * @param maxBackoff at least the initial back-off
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
            return this;
        }

        /**
         * Sets how many 429 answers one request may get.
         *
         * @param maxRateLimitWaits 1 to 1,000
         * @return this builder
         */
        public Builder maxRateLimitWaits(int maxRateLimitWaits) {
            this.maxRateLimitWaits = maxRateLimitWaits;
            return this;
        }

        /**
         * Sets the longest rate-limit reset that is waited out.
         *
         * @param maxRateLimitWait not negative
         * @return this builder
         */
        public Builder maxRateLimitWait(Duration maxRateLimitWait) {
            this.maxRateLimitWait = requireNonNull(maxRateLimitWait, "maxRateLimitWait is null");
            return this;
        }

        /**
         * Sets how long one request may take.
         *
         * @param requestTimeout positive
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
            return this;
        }

        /**
         * Sets how long opening a connection may take.
         *
         * @param connectTimeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the validated settings
         * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when a setting is missing or invalid
         */
        public BrazeSinkConfig build() {
            if (endpoint == null) {
                throw invalid("endpoint is required, such as https://rest.iad-01.braze.com");
            }
            if (apiKey == null) {
                throw invalid("apiKey is required");
            }
            return new BrazeSinkConfig(endpoint, apiKey, catalogName, trackObjectsPerRequest, maxRequestsInFlight, maxAttempts, initialBackoff,
                    maxBackoff, maxRateLimitWaits, maxRateLimitWait, requestTimeout, connectTimeout);
        }
    }
}
