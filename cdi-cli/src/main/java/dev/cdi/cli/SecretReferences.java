package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves the references a connection setting's value may be (SPEC section 12), so that no secret has to sit in a
 * configuration file in clear: a value of a secret setting may be exactly {@code ${env:NAME}} (the environment
 * variable's value) or {@code ${file:PATH}} (the file's text less one trailing line break, a relative path being
 * relative to the configuration file). In every connection setting, <code>$${</code> stands for a literal
 * <code>${</code>; any other <code>${</code> starts a reference, which a non-secret setting refuses so that nobody
 * believes it resolved.
 *
 * <p>Every error names the setting and, when the reference is well formed, the reference; none shows a resolved
 * value, nor any part of a secret setting's value that is not a reference.
 *
 * <p>Immutable and thread-safe if its environment lookup is; {@link #resolve} may be called any number of times.
 */
final class SecretReferences {
    /** Larger is surely a wrong path: a password or PEM key is a few kilobytes at most. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final String ESCAPE = "$${";
    private static final String START = "${";
    private static final String ENV = "env:";
    private static final String FILE = "file:";
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String FORMS = "${env:NAME} or ${file:PATH}";
    private static final String ESCAPE_HINT = "write $${ for a literal ${";

    private final Path baseDirectory;
    private final Function<String, Optional<String>> environment;

    /**
     * Creates a resolver.
     *
     * @param baseDirectory the configuration file's directory, against which a relative {@code file:} path resolves
     * @param environment the environment variables: a name's value, or empty when unset
     */
    SecretReferences(Path baseDirectory, Function<String, Optional<String>> environment) {
        this.baseDirectory = requireNonNull(baseDirectory, "baseDirectory is null");
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * The value a connection setting stands for: a reference's target for a secret setting, otherwise the value as
     * written with each <code>$${</code> read as <code>${</code>.
     *
     * @param connection the {@code connection} object, for messages
     * @param key the setting's key
     * @param value the value as written
     * @param secretKeys the connector's secret keys, which alone may hold a reference
     * @param connector the connector's name, for messages
     * @return the value
     * @throws ConfigException naming the setting when a reference is malformed, misplaced or cannot be resolved
     */
    String resolve(ConfigNode connection, String key, String value, Set<String> secretKeys, String connector) {
        int start = unescapedStart(value);
        if (start < 0) {
            return value.replace(ESCAPE, START);
        }
        if (!secretKeys.contains(key)) {
            String secrets = secretKeys.isEmpty() ? connector + " has none"
                    : connector + "'s are " + String.join(", ", new TreeSet<>(secretKeys));
            throw connection.error(key, "a reference such as " + FORMS + " is resolved in secret settings only ("
                    + secrets + "); this value would be used as written, so " + ESCAPE_HINT);
        }
        int end = value.indexOf('}', start);
        if (start != 0 || end != value.length() - 1) {
            throw connection.error(key, "a reference must be the whole value, exactly " + FORMS
                    + " with no text around it; " + ESCAPE_HINT);
        }
        String body = value.substring(START.length(), end);
        if (body.startsWith(ENV)) {
            return variable(connection, key, body.substring(ENV.length()));
        }
        if (body.startsWith(FILE)) {
            return file(connection, key, body.substring(FILE.length()));
        }
        throw connection.error(key, "the only references are ${env:NAME} and ${file:PATH}; " + ESCAPE_HINT);
    }

    private String variable(ConfigNode connection, String key, String name) {
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw connection.error(key, "the variable name in ${env:NAME} must match " + VARIABLE_NAME.pattern());
        }
        String reference = "${env:" + name + "}";
        String value = requireNonNull(environment.apply(name), "environment lookup returned null")
                .orElseThrow(() -> connection.error(key, reference + ": the environment variable " + name
                        + " is not set"));
        if (value.isEmpty()) {
            throw connection.error(key, reference + ": the environment variable " + name + " is empty");
        }
        return value;
    }

    private String file(ConfigNode connection, String key, String written) {
        if (written.isEmpty() || written.codePoints().anyMatch(Character::isISOControl)) {
            throw connection.error(key, "the path in ${file:PATH} must be non-empty, without control characters");
        }
        String reference = "${file:" + written + "}";
        Path file = connection.resolvePath(key, written, baseDirectory);
        String where = reference + " (" + file + ")";
        if (Files.isDirectory(file)) {
            throw connection.error(key, where + " is a directory, not a file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A named pipe or a device could block the read or never end.
            throw connection.error(key, where + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw connection.error(key, where + ": no such file");
        } catch (IOException e) {
            // The exception's class, not its message: the message may quote more than the path.
            throw connection.error(key, where + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw connection.error(key, where + " is larger than 1 MB; a secret file holds one password or key");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw connection.error(key, where + " is not UTF-8 text");
        }
        String value = withoutOneLineBreak(text);
        if (value.isEmpty()) {
            throw connection.error(key, where + " is empty");
        }
        return value;
    }

    /** Editors and {@code echo} end a file with a line break that is no part of the secret; PEM keeps its inner ones. */
    static String withoutOneLineBreak(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Where the first <code>${</code> that is not part of a <code>$${</code> starts, or -1. */
    private static int unescapedStart(String value) {
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith(ESCAPE, i)) {
                i += ESCAPE.length();
            } else if (value.startsWith(START, i)) {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }
}
