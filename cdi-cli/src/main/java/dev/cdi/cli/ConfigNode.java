package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One object of a parsed configuration file, with its place in the file, so that every error names the file,
 * the place and what is wrong. An explicit {@code null} (in YAML, a key with no value) counts as absent.
 *
 * <p>Immutable and thread-safe.
 */
final class ConfigNode {
    private static final int ECHO_LIMIT = 80;

    private final Path file;
    private final String location;
    private final JsonNode node;

    private ConfigNode(Path file, String location, JsonNode node) {
        this.file = requireNonNull(file, "file is null");
        this.location = requireNonNull(location, "location is null");
        this.node = requireNonNull(node, "node is null");
    }

    /**
     * The file's top-level object.
     *
     * @param file the configuration file, for messages
     * @param node its parsed content
     * @return the node
     * @throws ConfigException when the content is not an object
     */
    static ConfigNode root(Path file, JsonNode node) {
        ConfigNode root = new ConfigNode(file, "", node);
        if (!node.isObject()) {
            throw root.error("must hold an object with the keys stateDir and integrations, not " + kind(node));
        }
        return root;
    }

    /**
     * The same node under a more telling name, such as {@code integrations[0] (users)}.
     *
     * @param newLocation the place to name in messages
     * @return the renamed node
     */
    ConfigNode locatedAs(String newLocation) {
        return new ConfigNode(file, newLocation, node);
    }

    /**
     * Where this node is in the file, such as {@code integrations[0].options}; empty for the top level.
     *
     * @return the location
     */
    String location() {
        return location;
    }

    /**
     * Fails when the object has a key outside the given ones, naming the unknown keys and the known ones.
     *
     * @param known the keys allowed here
     */
    void allowOnly(List<String> known) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!known.contains(entry.getKey())) {
                unknown.add("'" + entry.getKey() + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw error("unknown key" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + " (known keys: " + String.join(", ", known) + ")");
        }
    }

    /**
     * A text value that must be present and not blank.
     *
     * @param key the key
     * @return the text
     */
    String requiredText(String key) {
        return optionalText(key).orElseThrow(() -> error(key + " is required"));
    }

    /**
     * A text value that may be absent; when present it must be a non-blank string.
     *
     * @param key the key
     * @return the text, or empty when absent
     */
    Optional<String> optionalText(String key) {
        return value(key).map(value -> {
            if (!value.isTextual() || value.asText().isBlank()) {
                throw error(key, "must be a non-empty string, not " + kind(value));
            }
            return value.asText();
        });
    }

    /**
     * A boolean value that may be absent.
     *
     * @param key the key
     * @return the value, or empty when absent
     */
    Optional<Boolean> optionalBoolean(String key) {
        return value(key).map(value -> {
            if (!value.isBoolean()) {
                throw error(key, "must be true or false, not " + kind(value));
            }
            return value.booleanValue();
        });
    }

    /**
     * A whole number that may be absent.
     *
     * @param key the key
     * @return the value, or empty when absent
     */
    OptionalLong optionalLong(String key) {
        Optional<JsonNode> found = value(key);
        if (found.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode value = found.get();
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(key, "must be a whole number, not " + kind(value));
        }
        return OptionalLong.of(value.longValue());
    }

    /**
     * A nested object that may be absent.
     *
     * @param key the key
     * @return the object, or empty when absent
     */
    Optional<ConfigNode> optionalObject(String key) {
        return value(key).map(value -> {
            if (!value.isObject()) {
                throw error(key, "must be an object (a set of keys), not " + kind(value));
            }
            return new ConfigNode(file, path(key), value);
        });
    }

    /**
     * A nested object that must be present.
     *
     * @param key the key
     * @return the object
     */
    ConfigNode requiredObject(String key) {
        return optionalObject(key).orElseThrow(() -> error(key + " is required"));
    }

    /**
     * A list of objects that must be present and not empty.
     *
     * @param key the key
     * @return the objects, named {@code key[index]}
     */
    List<ConfigNode> requiredObjectList(String key) {
        JsonNode value = value(key).orElseThrow(() -> error(key + " is required"));
        if (!value.isArray()) {
            throw error(key, "must be a list, not " + kind(value));
        }
        if (value.isEmpty()) {
            throw error(key + " is empty; it needs at least one entry");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemLocation = path(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ConfigNode(file, itemLocation, item).error("must be an object, not " + kind(item));
            }
            items.add(new ConfigNode(file, itemLocation, item));
        }
        return items;
    }

    /**
     * This object's entries as text, in file order; numbers and booleans are taken as their text.
     *
     * @return the entries
     * @throws ConfigException when a value is a list, an object or null
     */
    Map<String, String> scalarEntries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw error(entry.getKey(), "must be a string, number or boolean, not " + kind(value));
            }
            entries.put(entry.getKey(), value.asText());
        }
        return entries;
    }

    /**
     * A path from the file, resolved against the file's directory when relative.
     *
     * @param key the key it came from, for messages
     * @param path the path as written
     * @param baseDirectory the configuration file's directory
     * @return the absolute, normalized path
     */
    Path resolvePath(String key, String path, Path baseDirectory) {
        try {
            return baseDirectory.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw error(key, echo(path) + " is not a valid path: " + e.getReason());
        }
    }

    /**
     * An error at this node: {@code <file>: <location>: <problem>}.
     *
     * @param problem what is wrong
     * @return the exception, to throw
     */
    ConfigException error(String problem) {
        return new ConfigException(file + ": " + (location.isEmpty() ? "" : location + ": ") + problem);
    }

    /**
     * An error about one key of this node.
     *
     * @param key the key
     * @param problem what is wrong with its value
     * @return the exception, to throw
     */
    ConfigException error(String key, String problem) {
        return new ConfigNode(file, path(key), node).error(problem);
    }

    private Optional<JsonNode> value(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private String path(String key) {
        return location.isEmpty() ? key : location + "." + key;
    }

    /**
     * A value as an error message may show it: quoted, its control characters escaped, at most 80 characters. Only
     * for values of keys known not to be secret.
     *
     * @param value the value
     * @return the text to show
     */
    static String echo(String value) {
        StringBuilder shown = new StringBuilder("'");
        int limit = Math.min(value.length(), ECHO_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                shown.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.append(value.length() > limit ? "...'" : "'").toString();
    }

    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "the string " + echo(value.asText());
        }
        if (value.isObject() || value.isArray()) {
            return value.isObject() ? "an object" : "a list";
        }
        return value.isNull() ? "null" : value.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + value.asText();
    }
}
