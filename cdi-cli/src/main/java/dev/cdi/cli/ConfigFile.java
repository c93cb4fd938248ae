package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cdi.core.ConnectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A configuration file (SPEC section 12), YAML or JSON with the same keys: where state lives and which
 * integrations to sync. Relative paths in it ({@code stateDir}, a connection setting the connector declares of type
 * {@code PATH} such as DuckDB's {@code connection.path}, {@code sink.jsonl}, a secret setting's
 * <code>${file:PATH}</code>) are relative to the file's directory, whatever the current directory.
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the file as the user named it
 * @param stateDirectory where watermarks live, absolute
 * @param integrations the integrations, in file order, with distinct names
 */
record ConfigFile(Path file, Path stateDirectory, List<IntegrationConfig> integrations) {

    private static final List<String> KEYS = List.of("stateDir", "integrations");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'?|\"[^\"]*\"?|`[^`]*`?|\\([^)]*code \\d+\\)");
    private static final Pattern CHARACTER_CODE = Pattern.compile("\\s*\\(code \\d+\\)");

    /** Validates and copies the parts. */
    public ConfigFile {
        requireNonNull(file, "file is null");
        requireNonNull(stateDirectory, "stateDirectory is null");
        integrations = List.copyOf(requireNonNull(integrations, "integrations is null"));
    }

    /**
     * Reads and checks a configuration file completely: syntax, unknown keys, names, durations, options and
     * connector names, and resolves the references in secret connection settings (<code>${env:NAME}</code> from
     * the process's environment, <code>${file:PATH}</code>; see {@link SecretReferences}). Nothing is connected to.
     *
     * @param file the file; {@code .json} files, and files whose text starts with <code>{</code>, are read as JSON,
     *        others as YAML
     * @param connectors the connectors available, to check connector names and learn which settings are secret
     * @return the configuration
     * @throws ConfigException naming the file and what is wrong, on one line
     */
    static ConfigFile load(Path file, ConnectorRegistry connectors) {
        return load(file, connectors, name -> Optional.ofNullable(System.getenv(name)));
    }

    /**
     * Reads and checks a configuration file as {@link #load(Path, ConnectorRegistry)} does, taking the environment
     * variables that <code>${env:NAME}</code> references name from the given lookup instead of the process's.
     *
     * @param file the configuration file
     * @param connectors the connectors available
     * @param environment an environment variable's value by name, or empty when it is unset
     * @return the configuration
     * @throws ConfigException naming the file and what is wrong, on one line
     */
    static ConfigFile load(Path file, ConnectorRegistry connectors, Function<String, Optional<String>> environment) {
        requireNonNull(file, "file is null");
        requireNonNull(connectors, "connectors is null");
        requireNonNull(environment, "environment is null");
        String text = read(file);
        ConfigNode root = ConfigNode.root(file, parse(file, text));
        root.allowOnly(KEYS);
        Path baseDirectory = file.toAbsolutePath().normalize().getParent();
        Path stateDirectory = root.resolvePath("stateDir", root.requiredText("stateDir"), baseDirectory);
        List<ConfigNode> entries = root.requiredObjectList("integrations");
        SecretReferences references = new SecretReferences(baseDirectory, environment);
        List<IntegrationConfig> integrations = entries.stream()
                .map(entry -> IntegrationConfig.parse(entry, baseDirectory, connectors, references))
                .collect(Collectors.toList());
        Set<String> names = new HashSet<>();
        for (IntegrationConfig integration : integrations) {
            if (!names.add(integration.name())) {
                throw root.error("integrations", "the name '" + integration.name() + "' is used twice; names must be "
                        + "unique because they key the stored state");
            }
        }
        LocalPaths.check(root, file, stateDirectory, integrations);
        return new ConfigFile(file, stateDirectory, integrations);
    }

    /**
     * The integrations to run: all, or the one named.
     *
     * @param name an integration's name, or empty for all
     * @return the integrations
     * @throws ConfigException when no integration has that name, listing the names known
     */
    List<IntegrationConfig> select(Optional<String> name) {
        if (name.isEmpty()) {
            return integrations;
        }
        return integrations.stream()
                .filter(integration -> integration.name().equals(name.get()))
                .findFirst()
                .map(List::of)
                .orElseThrow(() -> new ConfigException(file + ": no integration named '" + name.get() + "'; known: "
                        + integrations.stream().map(IntegrationConfig::name).collect(Collectors.joining(", "))));
    }

    /**
     * Where the run history lives: {@code history} in the state directory.
     *
     * @return the directory, absolute
     */
    Path historyDirectory() {
        return stateDirectory.resolve("history");
    }

    private static String read(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + ": no such configuration file");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, not a configuration file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e, e);
        }
    }

    private static JsonNode parse(Path file, String text) {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                || text.stripLeading().startsWith("{");
        ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            // Not chained: the parser's messages quote the text around the error, which may be a password.
            throw new ConfigException(file + ": not valid " + (json ? "JSON" : "YAML") + where + ": "
                    + withoutQuotedText(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(file + ": is empty; it needs the keys stateDir and integrations");
        }
        return root;
    }

    /**
     * The parser's first line with whatever it quotes from the file left out: the file's words are never repeated,
     * since the key they belong to (a password's, say) cannot be known while the file does not parse.
     */
    static String withoutQuotedText(String message) {
        if (message == null || message.isBlank()) {
            return "the parser gave no reason";
        }
        String firstLine = message.strip().lines().findFirst().orElse("");
        String reason = QUOTED.matcher(firstLine).replaceAll("(...)");
        reason = CHARACTER_CODE.matcher(reason).replaceAll("");
        StringBuilder safe = new StringBuilder(reason.length());
        reason.codePoints().filter(c -> !Character.isISOControl(c)).forEach(safe::appendCodePoint);
        return safe.toString();
    }
}
