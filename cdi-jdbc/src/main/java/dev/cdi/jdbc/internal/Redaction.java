package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Hides secrets in JDBC URLs and driver properties before they are shown anywhere. Stateless and thread-safe.
 */
public final class Redaction {

    /** What a hidden value is replaced with. */
    public static final String MASK = "****";

    private static final String SECRET_WORDS = "password|passwd|pwd|secret|token|credential|passphrase|key";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(" + SECRET_WORDS + ").*");
    // key=value pairs after ? & or ; (the styles of PostgreSQL, SQL Server, Databricks and Snowflake URLs)
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([;?&][^=;?&]*(?:" + SECRET_WORDS + ")[^=;?&]*=)[^;&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@;?]*:)[^@/;?]*@");

    private Redaction() {
    }

    /**
     * A URL with every secret-looking parameter value and any password in its user-info part masked.
     *
     * @param url a JDBC URL
     * @return the URL, safe to show
     */
    public static String redactUrl(String url) {
        requireNonNull(url, "url is null");
        String redacted = SECRET_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        return USER_INFO.matcher(redacted).replaceAll("$1" + MASK + "@");
    }

    /**
     * Whether a property name looks like it holds a secret (it mentions a password, secret, token, key, ...).
     *
     * @param name a property name
     * @return true when its value must not be shown
     */
    public static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Properties as text, sorted by key, with the values of secret keys masked.
     *
     * @param properties the properties
     * @param secretKeys keys known to be secret, besides those that {@link #looksSecret look secret}
     * @return the text, such as {@code {password=****, user=cdi}}
     */
    public static String redactProperties(Map<String, String> properties, Set<String> secretKeys) {
        Map<String, String> shown = new TreeMap<>(properties);
        shown.replaceAll((key, value) -> secretKeys.contains(key) || looksSecret(key) ? MASK : value);
        return shown.toString();
    }
}
