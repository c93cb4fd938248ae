package dev.cdi.braze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Braze sink's settings: defaults pinned, every setting mapped, invalid values refused. */
class BrazeSinkConfigTest {

    private static BrazeSinkConfig.Builder minimal() {
        return BrazeSinkConfig.builder().endpoint("https://rest.iad-01.braze.com").apiKey("key-1");
    }

    @Test
    void defaults() {
        BrazeSinkConfig config = minimal().build();

        assertThat(config.endpoint()).isEqualTo(URI.create("https://rest.iad-01.braze.com"));
        assertThat(config.apiKey()).isEqualTo("key-1");
        assertThat(config.catalogName()).isEmpty();
        assertThat(config.trackObjectsPerRequest()).isEqualTo(75);
        assertThat(config.maxRequestsInFlight()).isEqualTo(4);
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxRateLimitWaits()).isEqualTo(20);
        assertThat(config.maxRateLimitWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everySettingIsMappedAndSurvivesToBuilder() {
        BrazeSinkConfig config = BrazeSinkConfig.builder()
                .endpoint("https://rest.fra-02.braze.eu/")
                .apiKey("key-2")
                .catalogName("restaurants")
                .trackObjectsPerRequest(50)
                .maxRequestsInFlight(16)
                .maxAttempts(7)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(5))
                .maxRateLimitWaits(3)
                .maxRateLimitWait(Duration.ofSeconds(90))
                .requestTimeout(Duration.ofSeconds(12))
                .connectTimeout(Duration.ofSeconds(3))
                .build();

        assertThat(config.endpoint()).as("a trailing slash is dropped").isEqualTo(URI.create("https://rest.fra-02.braze.eu"));
        assertThat(config.catalogName()).contains("restaurants");
        assertThat(config.trackObjectsPerRequest()).isEqualTo(50);
        assertThat(config.maxRequestsInFlight()).isEqualTo(16);
        assertThat(config.maxAttempts()).isEqualTo(7);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxRateLimitWaits()).isEqualTo(3);
        assertThat(config.maxRateLimitWait()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().catalogName(Optional.empty()).build().catalogName()).isEmpty();
    }

    @Test
    void theApiKeyNeverShows() {
        assertThat(minimal().apiKey("s3cret-value").build().toString()).doesNotContain("s3cret-value").contains("***");
    }

    @Test
    void httpIsAcceptedOnlyFor127001() {
        assertThat(minimal().endpoint("http://127.0.0.1:8080").build().endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertInvalid(minimal().endpoint("http://rest.iad-01.braze.com"), "https");
        assertInvalid(minimal().endpoint("http://localhost:8080"), "127.0.0.1");
        assertInvalid(minimal().endpoint("ftp://rest.iad-01.braze.com"), "https");
    }

    @Test
    void invalidSettingsAreConfigurationErrors() {
        assertInvalid(BrazeSinkConfig.builder().apiKey("k"), "endpoint is required");
        assertInvalid(BrazeSinkConfig.builder().endpoint("https://rest.iad-01.braze.com"), "apiKey is required");
        assertInvalid(minimal().apiKey(" "), "apiKey");
        assertInvalid(minimal().apiKey("with space"), "apiKey");
        assertInvalid(minimal().endpoint("rest.iad-01.braze.com"), "absolute");
        assertInvalid(minimal().endpoint("https://rest.iad-01.braze.com/users/track"), "no path");
        assertInvalid(minimal().endpoint("https://user:pw@rest.iad-01.braze.com"), "user info");
        assertInvalid(minimal().catalogName("no spaces allowed"), "catalogName");
        assertInvalid(minimal().trackObjectsPerRequest(76), "trackObjectsPerRequest");
        assertInvalid(minimal().maxRequestsInFlight(0), "maxRequestsInFlight");
        assertInvalid(minimal().maxRequestsInFlight(65), "maxRequestsInFlight");
        assertInvalid(minimal().maxAttempts(0), "maxAttempts");
        assertInvalid(minimal().maxRateLimitWaits(0), "maxRateLimitWaits");
        assertInvalid(minimal().initialBackoff(Duration.ofSeconds(-1)), "initialBackoff");
        assertInvalid(minimal().initialBackoff(Duration.ofMinutes(2)), "maxBackoff");
        assertInvalid(minimal().requestTimeout(Duration.ZERO), "requestTimeout");
        assertInvalid(minimal().connectTimeout(Duration.ZERO), "connectTimeout");
    }

    @Test
    void aMessageAboutTheEndpointNeverShowsUserInfo() {
        assertThatThrownBy(() -> minimal().endpoint("https://user:pw@rest.iad-01.braze.com").build())
                .hasMessageNotContaining("pw");
    }

    private static void assertInvalid(BrazeSinkConfig.Builder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(CdiException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION)).hasMessageContaining(message);
    }
}
