package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The token cache, with a hand-written credential that counts its requests. */
class FabricTokensTest {

    /** Issues tokens valid for a given time and records the scopes asked for. */
    private static final class CountingCredential implements TokenCredential {
        private final Duration lifetime;
        private final List<String> scopes = new ArrayList<>();

        CountingCredential(Duration lifetime) {
            this.lifetime = lifetime;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromSupplier(() -> getTokenSync(request));
        }

        @Override
        public synchronized AccessToken getTokenSync(TokenRequestContext request) {
            scopes.addAll(request.getScopes());
            return new AccessToken("token-" + scopes.size(), OffsetDateTime.now().plus(lifetime));
        }
    }

    @Test
    void aTokenIsReusedUntilFiveMinutesBeforeItExpires() {
        CountingCredential credential = new CountingCredential(Duration.ofHours(1));
        FabricTokens tokens = new FabricTokens(credential);

        assertThat(tokens.getAccessToken("https://database.windows.net/", "https://login/tenant").getAccessToken())
                .isEqualTo("token-1");
        assertThat(tokens.getAccessToken("https://database.windows.net/", "https://login/tenant").getAccessToken())
                .isEqualTo("token-1");
        assertThat(credential.scopes).containsExactly("https://database.windows.net/.default");

        tokens.invalidate();
        assertThat(tokens.getAccessToken("https://database.windows.net", "").getAccessToken()).isEqualTo("token-2");
    }

    @Test
    void aTokenCloseToItsExpiryIsRefreshed() {
        CountingCredential credential = new CountingCredential(Duration.ofMinutes(4));
        FabricTokens tokens = new FabricTokens(credential);

        tokens.getAccessToken("https://database.windows.net/", "");
        tokens.getAccessToken("https://database.windows.net/", "");

        assertThat(credential.scopes).hasSize(2);
        assertThat(tokens.getAccessToken("https://database.windows.net/", "").getExpiresOn())
                .isAfter(new java.util.Date());
    }
}
