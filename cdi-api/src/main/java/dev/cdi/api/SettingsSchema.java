package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings one connector declares, and the one parser that checks {@link ConnectorSettings} against them, so
 * that every connector refuses a bad setting the same way:
 * <ul>
 *   <li>an unknown key is refused, naming it and the closest declared key ("did you mean 'sslMode'?");</li>
 *   <li>a required setting that is absent or blank is refused;</li>
 *   <li>a value not of its setting's {@link SettingType} (not a whole number, not {@code true} or {@code false}, not
 *       a duration, not a valid path, not an allowed value) or outside its range is refused.</li>
 * </ul>
 * Every refusal is a {@link CdiException} with {@link ErrorCode#INVALID_CONFIGURATION} naming the key; a secret
 * setting's value is never shown.
 *
 * <p>Immutable and thread-safe; {@link #parse} may be called any number of times, from any thread.
 *
 * @param connector the connector's name, for messages, such as {@code redshift}
 * @param definitions the declared settings, in the order documentation lists them; keys are distinct regardless of
 *        case
 */
@Experimental
public record SettingsSchema(String connector, List<SettingDefinition> definitions) {

    /** Copies the list and checks that the keys are distinct. */
    public SettingsSchema {
        requireNonNull(connector, "connector is null");
        definitions = List.copyOf(requireNonNull(definitions, "definitions is null"));
        Set<String> keys = new HashSet<>();
        for (SettingDefinition definition : definitions) {
            if (!keys.add(definition.key().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Setting '" + definition.key() + "' of " + connector
                        + " is declared twice (keys must differ by more than case)");
            }
        }
    }

    /**
     * The declared setting with a key.
     *
     * @param key the key, exactly
     * @return the definition, or empty when none is declared
     */
    public Optional<SettingDefinition> definition(String key) {
        requireNonNull(key, "key is null");
        return definitions.stream().filter(definition -> definition.key().equals(key)).findFirst();
    }

    /**
     * The keys of the secret settings.
     *
     * @return the keys
     */
    public Set<String> secretKeys() {
        Set<String> secret = new HashSet<>();
        definitions.stream().filter(SettingDefinition::secret).forEach(definition -> secret.add(definition.key()));
        return Set.copyOf(secret);
    }

    /**
     * Settings whose declared secret keys are masked.
     *
     * @param values the settings as text
     * @return the settings, with {@link #secretKeys()}
     */
    public ConnectorSettings settings(Map<String, String> values) {
        return new ConnectorSettings(values, secretKeys());
    }

    /**
     * Checks settings.
     *
     * @param settings the settings
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} as {@link #parse} does
     */
    public void validate(ConnectorSettings settings) {
        parse(settings);
    }

    /**
     * Checks settings and reads them: each value in its type's canonical form, defaults filled in.
     *
     * @param settings the settings
     * @return the values
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming every unknown key (with the closest
     *         declared one), or else the first declared setting that is missing or invalid
     */
    public SettingValues parse(ConnectorSettings settings) {
        requireNonNull(settings, "settings is null");
        Set<String> unknown = new TreeSet<>(settings.values().keySet());
        definitions.forEach(definition -> unknown.remove(definition.key()));
        if (!unknown.isEmpty()) {
            throw unknownSettings(unknown);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (SettingDefinition definition : definitions) {
            Optional<String> given = settings.get(definition.key());
            if (definition.required() && (given.isEmpty() || given.get().isBlank())) {
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                        "Connection setting '" + definition.key() + "' is required");
            }
            Optional<String> value = given.or(definition::defaultValue);
            if (value.isPresent()) {
                SettingDefinition shown = settings.secretKeys().contains(definition.key()) && !definition.secret()
                        ? definition.asSecret() : definition;
                values.put(definition.key(), definition.type().canonical(shown, value.get()));
            }
        }
        return new SettingValues(definitions, values);
    }

    private CdiException unknownSettings(Set<String> unknown) {
        List<String> suggestions = new ArrayList<>();
        for (String key : unknown) {
            closestKey(key).ifPresent(closest -> suggestions.add("'" + closest + "' for '" + key + "'"));
        }
        List<String> known = new ArrayList<>();
        definitions.forEach(definition -> known.add(definition.key()));
        String message = "Unknown " + connector + " connection setting(s) " + unknown;
        if (unknown.size() == 1 && !suggestions.isEmpty()) {
            message += " (did you mean '" + closestKey(unknown.iterator().next()).orElseThrow() + "'?)";
        } else if (!suggestions.isEmpty()) {
            message += " (did you mean " + String.join(", ", suggestions) + "?)";
        }
        message += known.isEmpty() ? "; it takes no settings" : "; known settings: " + String.join(", ", known);
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * The declared key nearest to an unknown one by edit distance, ignoring case, when it is near enough to be a
     * likely typo: at most a third of the longer key's length apart, and at least within two edits.
     */
    private Optional<String> closestKey(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (SettingDefinition definition : definitions) {
            int distance = editDistance(unknown.toLowerCase(Locale.ROOT), definition.key().toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = definition.key();
                bestDistance = distance;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(2, Math.max(unknown.length(), best.length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String from, String to) {
        int[] previous = new int[to.length() + 1];
        int[] current = new int[to.length() + 1];
        for (int j = 0; j <= to.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= from.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= to.length(); j++) {
                int substitution = previous[j - 1] + (from.charAt(i - 1) == to.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[to.length()];
    }
}
