package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A connector's secrets (such as a password or a private key), stored once in a workspace and referenced by name
 * from any number of its integrations. Every value is secret: the registry keeps them encrypted and merges them
 * into the connection settings only when a connector is opened.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the keys, never the values.
 *
 * @param name the credential's name, matching {@code [a-z][a-z0-9_-]*} (at most 128 characters), unique in the
 *        registry
 * @param workspace the name of the workspace it belongs to
 * @param connector the name of the connector whose settings it completes, such as {@code snowflake}
 * @param secretValues the secret connection settings by key, at least one, no value null
 */
public record Credential(String name, String workspace, String connector, Map<String, String> secretValues) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,127}");

    /** Validates the name and copies the values. */
    public Credential {
        requireNonNull(name, "name is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(connector, "connector is null");
        secretValues = Map.copyOf(requireNonNull(secretValues, "secretValues is null"));
        if (!NAME.matcher(name).matches()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Credential name '" + name + "' must match [a-z][a-z0-9_-]* (at most 128 characters)");
        }
        if (secretValues.isEmpty()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Credential '" + name + "' holds no secret value; give at least one setting");
        }
    }

    @Override
    public String toString() {
        return "Credential[name=" + name + ", workspace=" + workspace + ", connector=" + connector
                + ", secretKeys=" + new TreeSet<>(secretValues.keySet()) + "]";
    }
}
