package dev.cdi.bigquery;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingValues;
import dev.cdi.api.SettingsSchema;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated settings of a BigQuery connector, parsed without connecting. {@link #toString()} masks the key.
 *
 * <p>Immutable and thread-safe.
 *
 * @param project the project whose datasets a two-part table name refers to
 * @param billingProject the project that runs (and pays for) the queries
 * @param location the location of the datasets, such as {@code US} or {@code europe-west1}
 * @param credentials the service account's JSON key
 * @param maximumBytesBilled the most bytes one query may bill, if capped
 * @param host the API's root URL, when not Google's (a private endpoint, a test server)
 * @param queryTimeout how long one query may run, if limited
 */
record BigQuerySettings(String project, String billingProject, String location, String credentials,
        Optional<Long> maximumBytesBilled, Optional<URI> host, Optional<Duration> queryTimeout) {

    static final String PROJECT = "project";
    static final String BILLING_PROJECT = "billingProject";
    static final String LOCATION = "location";
    static final String CREDENTIALS = "credentials";
    static final String MAXIMUM_BYTES_BILLED = "maximumBytesBilled";
    static final String HOST = "host";
    static final String QUERY_TIMEOUT = "queryTimeout";

    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z0-9.:-]+");

    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(PROJECT, SettingType.STRING, "the project of the dataset (the table's project when"
                    + " the table is named dataset.table)").asRequired(),
            SettingDefinition.of(BILLING_PROJECT, SettingType.STRING, "the project that runs and pays for the"
                    + " queries, else project"),
            SettingDefinition.of(LOCATION, SettingType.STRING, "the datasets' location, such as US or europe-west1")
                    .withDefault("US"),
            SettingDefinition.of(CREDENTIALS, SettingType.STRING, "the service account's JSON key (the whole file;"
                    + " ${file:key.json} in a configuration file)").asRequired().asSecret(),
            SettingDefinition.of(MAXIMUM_BYTES_BILLED, SettingType.INTEGER, "the most bytes one query may bill; a"
                    + " run that would scan more fails before reading").withRange("1", "1000000000000000"),
            SettingDefinition.of(HOST, SettingType.STRING, "the API's root URL, when not Google's (a private"
                    + " endpoint, a test server)"),
            SettingDefinition.of(QUERY_TIMEOUT, SettingType.DURATION, "how long one query may run, 0 or unset for"
                    + " none").withRange("PT0S", "P2D"));

    private static final SettingsSchema SCHEMA = new SettingsSchema(BigQueryConnectorProvider.NAME, SETTINGS);

    /** Checks every part. */
    BigQuerySettings {
        requireNonNull(project, "project is null");
        requireNonNull(billingProject, "billingProject is null");
        requireNonNull(location, "location is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(maximumBytesBilled, "maximumBytesBilled is null");
        requireNonNull(host, "host is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
    }

    static BigQuerySettings parse(ConnectorSettings settings) {
        SettingValues values = SCHEMA.parse(settings);
        String project = values.get(PROJECT).orElseThrow().strip();
        if (!PROJECT_ID.matcher(project).matches()) {
            throw invalid("Connection setting '" + PROJECT + "' must be a project id such as my-project-123, was '"
                    + project + "'");
        }
        Optional<URI> host = values.get(HOST).map(String::strip).map(BigQuerySettings::uri);
        return new BigQuerySettings(project, values.get(BILLING_PROJECT).map(String::strip).orElse(project),
                values.get(LOCATION).orElseThrow().strip(), values.get(CREDENTIALS).orElseThrow(),
                values.integer(MAXIMUM_BYTES_BILLED), host,
                values.duration(QUERY_TIMEOUT).filter(timeout -> !timeout.isZero()));
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text);
            boolean local = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
            if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && local)) {
                throw invalid("Connection setting '" + HOST + "' must be an https URL (http only for 127.0.0.1), was '"
                        + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid("Connection setting '" + HOST + "' is not a URL: '" + text + "'");
        }
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    @Override
    public String toString() {
        return "BigQuerySettings[project=" + project + ", billingProject=" + billingProject + ", location=" + location
                + ", credentials=****" + maximumBytesBilled.map(bytes -> ", maximumBytesBilled=" + bytes).orElse("")
                + host.map(uri -> ", host=" + uri).orElse("") + "]";
    }
}
