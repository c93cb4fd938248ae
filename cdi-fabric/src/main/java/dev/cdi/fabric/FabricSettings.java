package dev.cdi.fabric;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import dev.cdi.api.SettingValues;
import dev.cdi.api.SettingsSchema;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated connection settings of a Fabric connector, parsed without connecting. {@link #toString()} masks the
 * client secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the SQL connection string's host, such as {@code abc.datawarehouse.fabric.microsoft.com}
 * @param port the TDS port
 * @param warehouse the warehouse or SQL analytics endpoint (the database to log in to)
 * @param tenantId the Microsoft Entra tenant (directory) id
 * @param clientId the service principal's application (client) id
 * @param clientSecret the service principal's client secret
 * @param encrypt how TLS is negotiated: {@code mandatory} (TLS inside TDS) or {@code strict} (TDS 8, TLS first)
 * @param authorityHost the Microsoft Entra authority the token is requested from
 * @param trustedCertificate a PEM certificate file trusted instead of the public certificate authorities, if set
 * @param connectTimeout how long logging in may take
 * @param queryTimeout how long one statement may run, if limited
 */
record FabricSettings(
        String host,
        int port,
        String warehouse,
        String tenantId,
        String clientId,
        String clientSecret,
        String encrypt,
        String authorityHost,
        Optional<Path> trustedCertificate,
        Duration connectTimeout,
        Optional<Duration> queryTimeout) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String WAREHOUSE = "warehouse";
    static final String TENANT_ID = "tenantId";
    static final String CLIENT_ID = "clientId";
    static final String CLIENT_SECRET = "clientSecret";
    static final String ENCRYPT = "encrypt";
    static final String AUTHORITY_HOST = "authorityHost";
    static final String TRUSTED_CERTIFICATE = "trustedCertificate";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String QUERY_TIMEOUT = "queryTimeout";

    static final String MANDATORY = "mandatory";
    static final String STRICT = "strict";
    /** Microsoft Entra's public-cloud authority. */
    static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com/";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
    // A tenant is a GUID or a verified domain such as contoso.onmicrosoft.com.
    private static final Pattern TENANT = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
            + "-[0-9A-Fa-f]{12}|[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z]{2,}");
    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
            + "-[0-9A-Fa-f]{12}");

    static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of(HOST, SettingType.STRING, "the host of the warehouse's SQL connection string, such as"
                    + " abc123.datawarehouse.fabric.microsoft.com (workspace settings, or the item's SQL endpoint)")
                    .asRequired(),
            SettingDefinition.of(PORT, SettingType.INTEGER, "the TDS port").withRange("1", "65535").withDefault("1433"),
            SettingDefinition.of(WAREHOUSE, SettingType.STRING, "the warehouse or SQL analytics endpoint, by name:"
                    + " the database the connection opens").asRequired(),
            SettingDefinition.of(TENANT_ID, SettingType.STRING, "the Microsoft Entra tenant (directory) id, or its"
                    + " domain such as contoso.onmicrosoft.com").asRequired(),
            SettingDefinition.of(CLIENT_ID, SettingType.STRING, "the application (client) id of the service principal's"
                    + " app registration").asRequired(),
            SettingDefinition.of(CLIENT_SECRET, SettingType.STRING, "a client secret of that app registration (its"
                    + " Value, not its Secret ID); Entra secrets expire: rotate it before it does").asRequired().asSecret(),
            SettingDefinition.oneOf(ENCRYPT, "TLS, always on with the certificate checked: mandatory (TLS negotiated"
                    + " inside TDS) or strict (TDS 8: TLS first)", List.of(MANDATORY, STRICT))
                    .withDefault(MANDATORY),
            SettingDefinition.of(AUTHORITY_HOST, SettingType.STRING, "the Microsoft Entra authority the token is"
                    + " requested from; another only for a national cloud or a test server")
                    .withDefault(PUBLIC_AUTHORITY),
            SettingDefinition.of(TRUSTED_CERTIFICATE, SettingType.PATH, "a PEM certificate file trusted instead of the"
                    + " public certificate authorities, by both the SQL endpoint and the authority: only for a test"
                    + " server such as cdi fake-warehouse fabric"),
            SettingDefinition.of(CONNECT_TIMEOUT, SettingType.DURATION, "how long getting a token and logging in may"
                    + " take").withRange("PT1S", "PT10M").withDefault("PT30S"),
            SettingDefinition.of(QUERY_TIMEOUT, SettingType.DURATION, "how long one statement may run (the driver's"
                    + " queryTimeout), 0 or unset for none; a read streams in one statement, so allow for the largest"
                    + " read").withRange("PT0S", "P7D"));

    private static final SettingsSchema SCHEMA_OF_SETTINGS = new SettingsSchema(FabricConnectorProvider.NAME, SETTINGS);

    /** Checks every part. */
    FabricSettings {
        requireNonNull(host, "host is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        requireNonNull(encrypt, "encrypt is null");
        requireNonNull(authorityHost, "authorityHost is null");
        requireNonNull(trustedCertificate, "trustedCertificate is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
    }

    /**
     * Parses and checks the settings.
     *
     * @param settings the connection settings
     * @return the parsed settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the setting
     */
    static FabricSettings parse(ConnectorSettings settings) {
        SettingValues values = SCHEMA_OF_SETTINGS.parse(settings);
        String host = values.get(HOST).orElseThrow().strip();
        if (!HOST_NAME.matcher(host).matches()) {
            throw invalid("Connection setting '" + HOST + "' must be a host name such as"
                    + " abc123.datawarehouse.fabric.microsoft.com, without a scheme or port, was '" + host + "'");
        }
        String warehouse = values.get(WAREHOUSE).orElseThrow().strip();
        if (warehouse.isEmpty() || warehouse.chars().anyMatch(Character::isISOControl)) {
            throw invalid("Connection setting '" + WAREHOUSE + "' must be a warehouse name");
        }
        String tenantId = values.get(TENANT_ID).orElseThrow().strip();
        if (!TENANT.matcher(tenantId).matches()) {
            throw invalid("Connection setting '" + TENANT_ID + "' must be the tenant's id (a GUID) or its domain, was '"
                    + tenantId + "'");
        }
        String clientId = values.get(CLIENT_ID).orElseThrow().strip();
        if (!GUID.matcher(clientId).matches()) {
            throw invalid("Connection setting '" + CLIENT_ID + "' must be the application (client) id, a GUID, was '"
                    + clientId + "'");
        }
        String authorityHost = values.get(AUTHORITY_HOST).orElseThrow().strip();
        if (!authorityHost.endsWith("/")) {
            authorityHost = authorityHost + "/";
        }
        try {
            URI authority = new URI(authorityHost);
            if (!"https".equals(authority.getScheme()) || authority.getHost() == null) {
                throw invalid("Connection setting '" + AUTHORITY_HOST + "' must be an https URL, was '" + authorityHost
                        + "'");
            }
        } catch (URISyntaxException e) {
            throw invalid("Connection setting '" + AUTHORITY_HOST + "' must be an https URL, was '" + authorityHost
                    + "'");
        }
        String encrypt = values.get(ENCRYPT).orElseThrow().toLowerCase(Locale.ROOT);
        Optional<Path> trustedCertificate = values.path(TRUSTED_CERTIFICATE);
        if (trustedCertificate.isPresent()) {
            if (!Files.isReadable(trustedCertificate.get())) {
                throw invalid("Connection setting '" + TRUSTED_CERTIFICATE + "': cannot read "
                        + trustedCertificate.get());
            }
        }
        return new FabricSettings(
                host,
                values.integer(PORT).orElseThrow().intValue(),
                warehouse,
                tenantId,
                clientId,
                values.get(CLIENT_SECRET).orElseThrow(),
                encrypt,
                authorityHost,
                trustedCertificate,
                values.duration(CONNECT_TIMEOUT).orElseThrow(),
                values.duration(QUERY_TIMEOUT).filter(timeout -> !timeout.isZero()));
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    @Override
    public String toString() {
        return "FabricSettings[host=" + host + ", port=" + port + ", warehouse=" + warehouse + ", tenantId=" + tenantId
                + ", clientId=" + clientId + ", clientSecret=****, encrypt=" + encrypt + ", authorityHost="
                + authorityHost + trustedCertificate.map(path -> ", trustedCertificate=" + path).orElse("") + "]";
    }
}
