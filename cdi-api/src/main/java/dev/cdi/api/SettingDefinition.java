package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One connection setting a connector declares (see {@link SourceConnectorProvider#settings()}): its key, its type,
 * a one-line description, and whether it is required, has a default or is secret. {@link SettingsSchema} checks
 * {@link ConnectorSettings} against a list of them, and documentation (a README's table, {@code cdi connectors
 * --describe NAME}) is rendered from them.
 *
 * <p>Built with {@link #of} or {@link #oneOf} and refined with the {@code with...} and {@code as...} methods, each of
 * which returns a new definition:
 * <pre>{@code
 * SettingDefinition.of("port", SettingType.INTEGER, "the cluster's port").withRange("1", "65535").withDefault("5439")
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the setting's key, such as {@code sslMode}: a letter, then letters, digits, {@code _}, {@code .} or
 *        {@code -}
 * @param type how its value is read
 * @param description what it does, in one line
 * @param defaultValue the value used when the setting is absent, in the type's syntax; empty when there is none
 * @param required whether the setting must be given (a required setting has no default and must not be blank)
 * @param secret whether its value is secret: masked wherever settings are shown, never in an error message; a
 *        secret setting has no default
 * @param minimum the least value allowed, in the type's syntax; only for {@link SettingType#INTEGER} and
 *        {@link SettingType#DURATION}
 * @param maximum the greatest value allowed, in the type's syntax; only for {@link SettingType#INTEGER} and
 *        {@link SettingType#DURATION}
 * @param allowedValues the values an {@link SettingType#ENUM} setting may take, distinct regardless of case; empty
 *        for every other type
 */
@Experimental
public record SettingDefinition(
        String key,
        SettingType type,
        String description,
        Optional<String> defaultValue,
        boolean required,
        boolean secret,
        Optional<String> minimum,
        Optional<String> maximum,
        List<String> allowedValues) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    /**
     * Validates every part.
     *
     * @throws IllegalArgumentException when the parts contradict each other (a required setting with a default, a
     *         range on a type without one, an ENUM without values)
     * @throws CdiException when the default or a bound is not a value of the type, the bounds are out of order or
     *         the default is out of range
     */
    public SettingDefinition {
        requireNonNull(key, "key is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(minimum, "minimum is null");
        requireNonNull(maximum, "maximum is null");
        allowedValues = List.copyOf(requireNonNull(allowedValues, "allowedValues is null"));
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must match " + KEY + ": '" + key + "'");
        }
        if (description.isBlank() || description.lines().count() != 1) {
            throw new IllegalArgumentException("description of '" + key + "' must be one line");
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("'" + key + "' is required, so it has no default");
        }
        if (secret && defaultValue.isPresent()) {
            throw new IllegalArgumentException("'" + key + "' is secret, so it has no default");
        }
        boolean ranged = type == SettingType.INTEGER || type == SettingType.DURATION;
        if (!ranged && (minimum.isPresent() || maximum.isPresent())) {
            throw new IllegalArgumentException("'" + key + "' is of type " + type + ", which has no range");
        }
        if ((type == SettingType.ENUM) == allowedValues.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "': allowed values are declared for ENUM settings only,"
                    + " and an ENUM setting needs at least one");
        }
        Set<String> distinct = new HashSet<>();
        for (String allowed : allowedValues) {
            if (allowed.isBlank() || !distinct.add(allowed.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + key + "': allowed values must be distinct and not blank: "
                        + allowedValues);
            }
        }
        // The bounds and the default must be values of the type; canonical() reads the bounds, so each is checked by
        // a definition without them (which makes no further check, so this ends).
        if (minimum.isPresent() || maximum.isPresent()) {
            SettingDefinition unbounded = new SettingDefinition(key, type, allowedValues);
            minimum.ifPresent(bound -> type.canonical(unbounded, bound));
            maximum.ifPresent(bound -> type.canonical(unbounded, bound));
            if (minimum.isPresent() && maximum.isPresent()) {
                type.canonical(new SettingDefinition(key, type, description, Optional.empty(), false, false, minimum,
                        Optional.empty(), allowedValues), maximum.get());
            }
        }
        if (defaultValue.isPresent()) {
            type.canonical(new SettingDefinition(key, type, description, Optional.empty(), false, false, minimum,
                    maximum, allowedValues), defaultValue.get());
        }
    }

    /** A definition with no default, range or rules beyond the type, used to check bounds. */
    private SettingDefinition(String key, SettingType type, List<String> allowedValues) {
        this(key, type, "bound check", Optional.empty(), false, false, Optional.empty(), Optional.empty(),
                allowedValues);
    }

    /**
     * An optional, non-secret setting without a default or range.
     *
     * @param key the key
     * @param type the type; {@link SettingType#ENUM} settings are made with {@link #oneOf}
     * @param description what it does, in one line
     * @return the definition
     */
    public static SettingDefinition of(String key, SettingType type, String description) {
        return new SettingDefinition(key, type, description, Optional.empty(), false, false, Optional.empty(),
                Optional.empty(), List.of());
    }

    /**
     * An optional, non-secret {@link SettingType#ENUM} setting without a default.
     *
     * @param key the key
     * @param description what it does, in one line
     * @param allowedValues the values it may take, as documentation spells them
     * @return the definition
     */
    public static SettingDefinition oneOf(String key, String description, List<String> allowedValues) {
        return new SettingDefinition(key, SettingType.ENUM, description, Optional.empty(), false, false,
                Optional.empty(), Optional.empty(), allowedValues);
    }

    /**
     * This setting, required.
     *
     * @return a new definition
     * @throws IllegalArgumentException when it has a default
     */
    public SettingDefinition asRequired() {
        return new SettingDefinition(key, type, description, defaultValue, true, secret, minimum, maximum,
                allowedValues);
    }

    /**
     * This setting, secret.
     *
     * @return a new definition
     * @throws IllegalArgumentException when it has a default
     */
    public SettingDefinition asSecret() {
        return new SettingDefinition(key, type, description, defaultValue, required, true, minimum, maximum,
                allowedValues);
    }

    /**
     * This setting with a default.
     *
     * @param value the default, in the type's syntax and within the range
     * @return a new definition
     * @throws IllegalArgumentException when it is required or secret
     * @throws CdiException when the value is not of the type or out of range
     */
    public SettingDefinition withDefault(String value) {
        requireNonNull(value, "value is null");
        return new SettingDefinition(key, type, description, Optional.of(value), required, secret, minimum, maximum,
                allowedValues);
    }

    /**
     * This setting with a least and a greatest value.
     *
     * @param least the minimum, in the type's syntax
     * @param greatest the maximum, in the type's syntax
     * @return a new definition
     * @throws IllegalArgumentException when the type has no range
     * @throws CdiException when a bound is not of the type, the bounds are out of order or a default is outside them
     */
    public SettingDefinition withRange(String least, String greatest) {
        return new SettingDefinition(key, type, description, defaultValue, required, secret,
                Optional.of(requireNonNull(least, "least is null")),
                Optional.of(requireNonNull(greatest, "greatest is null")), allowedValues);
    }
}
