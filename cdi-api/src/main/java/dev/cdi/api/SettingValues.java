package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Connection settings read by a {@link SettingsSchema}: each given or defaulted value in its type's canonical form,
 * with typed accessors. A connector reads its settings from here after {@link SettingsSchema#parse}, and adds only
 * the checks no type can express (a host name's characters, settings that depend on each other).
 *
 * <p>{@link #toString()} masks secret values. Immutable and thread-safe.
 *
 * @param definitions the declared settings
 * @param values each set setting's value by key, in canonical form (see {@link SettingType}); every key declared
 */
@Experimental
public record SettingValues(List<SettingDefinition> definitions, Map<String, String> values) {

    /** Copies both collections and checks that each value belongs to a declared setting and is of its type. */
    public SettingValues {
        definitions = List.copyOf(requireNonNull(definitions, "definitions is null"));
        values = Map.copyOf(requireNonNull(values, "values is null"));
        Map<String, SettingDefinition> byKey = new HashMap<>();
        definitions.forEach(definition -> byKey.put(definition.key(), definition));
        values.forEach((key, value) -> {
            SettingDefinition definition = byKey.get(key);
            if (definition == null) {
                throw new IllegalArgumentException("Setting '" + key + "' is not declared");
            }
            if (!definition.type().canonical(definition, value).equals(value)) {
                throw new IllegalArgumentException("Setting '" + key + "' is not in canonical form");
            }
        });
    }

    /**
     * A setting's text; an {@link SettingType#ENUM} value as declared.
     *
     * @param key a declared key
     * @return the value, or empty when neither given nor defaulted
     * @throws IllegalArgumentException when the key is not declared
     */
    public Optional<String> get(String key) {
        definition(key);
        return Optional.ofNullable(values.get(key));
    }

    /**
     * An {@link SettingType#INTEGER} setting.
     *
     * @param key a declared key of that type
     * @return the value, or empty when neither given nor defaulted
     * @throws IllegalArgumentException when the key is not declared with that type
     */
    public Optional<Long> integer(String key) {
        return typed(key, SettingType.INTEGER).map(Long::valueOf);
    }

    /**
     * A {@link SettingType#BOOLEAN} setting.
     *
     * @param key a declared key of that type
     * @return the value, or empty when neither given nor defaulted
     * @throws IllegalArgumentException when the key is not declared with that type
     */
    public Optional<Boolean> bool(String key) {
        return typed(key, SettingType.BOOLEAN).map(Boolean::valueOf);
    }

    /**
     * A {@link SettingType#DURATION} setting.
     *
     * @param key a declared key of that type
     * @return the value, or empty when neither given nor defaulted
     * @throws IllegalArgumentException when the key is not declared with that type
     */
    public Optional<Duration> duration(String key) {
        return typed(key, SettingType.DURATION).map(SettingType::durationOf);
    }

    /**
     * A {@link SettingType#PATH} setting, as given (a relative path is not resolved).
     *
     * @param key a declared key of that type
     * @return the value, or empty when neither given nor defaulted
     * @throws IllegalArgumentException when the key is not declared with that type
     */
    public Optional<Path> path(String key) {
        return typed(key, SettingType.PATH).map(Path::of);
    }

    private Optional<String> typed(String key, SettingType type) {
        SettingDefinition definition = definition(key);
        if (definition.type() != type) {
            throw new IllegalArgumentException("Setting '" + key + "' is of type " + definition.type() + ", not "
                    + type);
        }
        return Optional.ofNullable(values.get(key));
    }

    private SettingDefinition definition(String key) {
        requireNonNull(key, "key is null");
        for (SettingDefinition definition : definitions) {
            if (definition.key().equals(key)) {
                return definition;
            }
        }
        throw new IllegalArgumentException("Setting '" + key + "' is not declared");
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(values);
        for (SettingDefinition definition : definitions) {
            if (definition.secret()) {
                shown.computeIfPresent(definition.key(), (key, value) -> "****");
            }
        }
        return "SettingValues" + shown;
    }
}
