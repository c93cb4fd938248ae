package dev.cdi.bigquery;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceConnectorProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The {@code bigquery} connector: reads a table or view of a BigQuery dataset through Google's BigQuery client, with a
 * service account's JSON key. Settings are declared by {@link #settings()}.
 *
 * <p>Work in progress for issue 12: the dry run's cost report in the connection test and the fake-server tests are
 * still to come.
 *
 * <p>Thread-safe and cheap to construct; registered in {@code META-INF/services}.
 */
public final class BigQueryConnectorProvider implements SourceConnectorProvider {

    /** The connector's name in configuration. */
    public static final String NAME = "bigquery";

    private static final String BIGQUERY_SCOPE = "https://www.googleapis.com/auth/bigquery";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public BigQueryConnectorProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return Set.of(ConnectorCapability.STRUCTURED_PAYLOAD, ConnectorCapability.JSON_PAYLOAD,
                ConnectorCapability.PRIVILEGES);
    }

    @Override
    public String description() {
        return "reads a table or view of a BigQuery dataset with a service account's key";
    }

    @Override
    public List<SettingDefinition> settings() {
        return BigQuerySettings.SETTINGS;
    }

    @Override
    public void validate(ConnectorSettings settings) {
        credentials(BigQuerySettings.parse(settings));
    }

    @Override
    public SourceConnector open(ConnectorSettings settings) {
        BigQuerySettings parsed = BigQuerySettings.parse(settings);
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
                .setProjectId(parsed.billingProject())
                .setLocation(parsed.location())
                .setCredentials(credentials(parsed));
        parsed.host().ifPresent(host -> options.setHost(host.toString()));
        BigQuery client = options.build().getService();
        return new BigQuerySourceConnector(client, parsed);
    }

    private static GoogleCredentials credentials(BigQuerySettings settings) {
        try {
            return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(
                    settings.credentials().getBytes(StandardCharsets.UTF_8))).createScoped(BIGQUERY_SCOPE);
        } catch (IOException | RuntimeException e) {
            // The key's text is never shown: it holds the private key.
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '"
                    + BigQuerySettings.CREDENTIALS + "' is not a service account's JSON key ("
                    + e.getClass().getSimpleName() + "); download one from IAM > Service accounts > Keys");
        }
    }
}
