package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A connector's connection settings as text keys and values (such as {@code path} for DuckDB, {@code host} and
 * {@code password} for Redshift). Keys named in {@code secretKeys} hold secrets: {@link #toString()} shows them as
 * {@code ****}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param values the settings
 * @param secretKeys the keys whose values are secret
 */
public record ConnectorSettings(Map<String, String> values, Set<String> secretKeys) {

    /** Copies both collections. */
    public ConnectorSettings {
        values = Map.copyOf(requireNonNull(values, "values is null"));
        secretKeys = Set.copyOf(requireNonNull(secretKeys, "secretKeys is null"));
    }

    /**
     * Settings without secrets.
     *
     * @param values the settings
     * @return the settings
     */
    public static ConnectorSettings of(Map<String, String> values) {
        return new ConnectorSettings(values, Set.of());
    }

    /**
     * A setting.
     *
     * @param key the key
     * @return the value, or empty when unset
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * A setting that must be present.
     *
     * @param key the key
     * @return the value
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the key when it is unset or blank
     */
    public String require(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + key + "' is required");
        }
        return value;
    }

    /**
     * A boolean setting.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the key when the value is neither
     *         {@code true} nor {@code false} (case and surrounding blanks are ignored)
     */
    public Optional<Boolean> getBoolean(String key) {
        String value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return Optional.of(true);
            case "false":
                return Optional.of(false);
            default:
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Connection setting '" + key
                        + "' must be true or false, was '" + (secretKeys.contains(key) ? "****" : value) + "'");
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(values);
        shown.replaceAll((key, value) -> secretKeys.contains(key) ? "****" : value);
        return "ConnectorSettings" + shown;
    }
}
