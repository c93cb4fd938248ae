package dev.cdi.fabric;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.sqlserver.jdbc.SQLServerAccessTokenCallback;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The driver's access-token callback: tokens for the SQL endpoint from a Microsoft Entra
 * {@code ClientSecretCredential} (the client-credentials flow of a service principal), cached and refreshed five
 * minutes before they expire, so that a pool's connections share one token. A token the warehouse refuses is
 * {@link #invalidate() dropped}, so the next login asks Entra again.
 *
 * <p>The credential's HTTP client trusts the public certificate authorities, or only the configured
 * {@code trustedCertificate} (a test server): nothing JVM-wide is changed. Thread-safe.
 */
final class FabricTokens implements SQLServerAccessTokenCallback {
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    /** Fabric's SQL endpoint asks for a token of this resource (the SPN of its FEDAUTHINFO). */
    static final String DEFAULT_RESOURCE = "https://database.windows.net/";

    private final TokenCredential credential;

    // Guarded by this.
    private AccessToken cached;

    FabricTokens(TokenCredential credential) {
        this.credential = requireNonNull(credential, "credential is null");
    }

    static FabricTokens of(FabricSettings settings) {
        ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                .tenantId(settings.tenantId())
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .authorityHost(settings.authorityHost());
        if (!settings.authorityHost().equals(FabricSettings.PUBLIC_AUTHORITY)) {
            // Instance discovery asks the public cloud whether the authority is Microsoft's; a national cloud's
            // authority is known without it and a test server is not Microsoft's.
            builder.disableInstanceDiscovery();
        }
        settings.trustedCertificate().ifPresent(file -> builder.httpClient(httpClientTrusting(file)));
        return new FabricTokens(builder.build());
    }

    private static HttpClient httpClientTrusting(Path certificateFile) {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            SslContext ssl = SslContextBuilder.forClient().trustManager(certificate).build();
            reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(client).build();
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("Cannot read the certificate " + certificateFile + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * A token for the resource the server names, from the cache while it has more than {@link #REFRESH_MARGIN} left.
     * A refusal from Entra escapes as the credential's {@link RuntimeException}, which {@link FabricDriver} turns
     * into an authorization failure.
     *
     * @param spn the resource the server asks a token for
     * @param stsUrl the authority the server names (the configured one is used)
     * @return the token
     */
    @Override
    public synchronized SqlAuthenticationToken getAccessToken(String spn, String stsUrl) {
        if (cached == null || cached.getExpiresAt().isBefore(OffsetDateTime.now().plus(REFRESH_MARGIN))) {
            String resource = spn == null || spn.isBlank() ? DEFAULT_RESOURCE : spn;
            String scope = (resource.endsWith("/") ? resource : resource + "/") + ".default";
            cached = requireNonNull(credential.getTokenSync(new TokenRequestContext().addScopes(scope)),
                    "the credential returned no token");
        }
        return new SqlAuthenticationToken(cached.getToken(), cached.getExpiresAt().toInstant().toEpochMilli());
    }

    /** Forgets the cached token, after the warehouse refused it. */
    synchronized void invalidate() {
        cached = null;
    }

    @Override
    public String toString() {
        return "FabricTokens[" + credential.getClass().getSimpleName() + "]";
    }
}
