package dev.cdi.cli;

import dev.cdi.api.CdiException;
import dev.cdi.redshift.tunnel.SshKeyPair;
import dev.cdi.snowflake.keys.KeySlot;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdi keygen --out FILE}: generates the SSH key pair of a Redshift tunnel, writes the private key encrypted
 * with a passphrase taken from the environment or a file (never from the command line, where other users could
 * see it), and prints the public key as the one {@code authorized_keys} line to install on the bastion.
 *
 * <p>{@code cdi keygen --snowflake --user NAME [--slot 1|2] --out FILE} does the same for Snowflake's key-pair
 * authentication: an RSA 2048 key, written the same way, and printed as the {@code ALTER USER} statement for an
 * administrator to run, with its {@code SHA256:} fingerprint and how to reference the key in the configuration.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "keygen",
        description = {"Generates an SSH key pair for a tunnel to a bastion host: writes the private key encrypted "
                + "and prints the public key as one authorized_keys line.",
            "With --snowflake, generates an RSA key pair for Snowflake key-pair authentication: writes the private "
                + "key encrypted and prints the ALTER USER statement that installs the public key."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false)
final class KeygenCommand implements Callable<Integer> {
    static final String DEFAULT_PASSPHRASE_VARIABLE = "CDI_SSH_KEY_PASSPHRASE";
    static final String DEFAULT_SNOWFLAKE_PASSPHRASE_VARIABLE = "CDI_SNOWFLAKE_KEY_PASSPHRASE";
    private static final String DEFAULT_COMMENT = "cdi";
    static final int MIN_PASSPHRASE_LENGTH = 8;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Spec
    private CommandSpec spec;

    @Option(names = "--snowflake",
            description = "Generate an RSA key for Snowflake key-pair authentication instead of an SSH key.")
    private boolean snowflake;

    @Option(names = "--user", paramLabel = "NAME",
            description = "With --snowflake: the Snowflake user the key is for.")
    private Optional<String> user = Optional.empty();

    @Option(names = "--slot", paramLabel = "1|2",
            description = "With --snowflake: the user's public-key slot, 1 (RSA_PUBLIC_KEY, the default) or 2 "
                    + "(RSA_PUBLIC_KEY_2); to rotate, use the slot that does not hold the key in use.")
    private Optional<Integer> slot = Optional.empty();

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write the encrypted private key (PEM); an existing file is never overwritten.")
    private Path out;

    @Option(names = "--passphrase-env", paramLabel = "NAME",
            description = "The environment variable holding the passphrase (default: " + DEFAULT_PASSPHRASE_VARIABLE
                    + ", with --snowflake " + DEFAULT_SNOWFLAKE_PASSPHRASE_VARIABLE + ").")
    private Optional<String> passphraseVariable = Optional.empty();

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "A file whose first line is the passphrase, instead of the environment variable.")
    private Optional<Path> passphraseFile = Optional.empty();

    @Option(names = "--comment", paramLabel = "TEXT",
            description = "SSH keys only: the comment ending the authorized_keys line (default: " + DEFAULT_COMMENT
                    + ").")
    private Optional<String> comment = Optional.empty();

    @Override
    public Integer call() {
        Optional<KeySlot> snowflakeSlot = checkOptions();
        char[] passphrase = passphrase();
        try {
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(out + ": already exists; refusing to overwrite a key");
            }
            if (snowflakeSlot.isPresent()) {
                snowflakeKey(user.orElseThrow(), snowflakeSlot.get(), passphrase);
            } else {
                sshKey(passphrase);
            }
            return 0;
        } catch (CdiException invalid) {
            throw new ConfigException(invalid.getMessage());
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The slot of a Snowflake key, empty for an SSH key; refuses options of the other kind of key. */
    private Optional<KeySlot> checkOptions() {
        if (!snowflake) {
            if (user.isPresent() || slot.isPresent()) {
                throw new ConfigException("--user and --slot are for Snowflake keys: add --snowflake");
            }
            return Optional.empty();
        }
        if (comment.isPresent()) {
            throw new ConfigException("--comment is for SSH keys; a Snowflake key has no comment");
        }
        if (user.isEmpty()) {
            throw new ConfigException("--snowflake needs --user NAME: the Snowflake user the key is for");
        }
        try {
            return Optional.of(KeySlot.ofNumber(slot.orElse(1)));
        } catch (CdiException invalid) {
            throw new ConfigException("--slot: " + invalid.getMessage());
        }
    }

    private void sshKey(char[] passphrase) {
        SshKeyPair key = SshKeyPair.generate();
        // Everything that can be refused is checked before the key file exists, so a refusal leaves no file.
        String authorizedKeysLine = key.authorizedKeysLine(comment.orElse(DEFAULT_COMMENT));
        writePrivateKey(key.encryptedPrivateKeyPem(passphrase));
        PrintWriter print = spec.commandLine().getOut();
        print.println("Wrote the encrypted private key to " + out + ": its text is the connection setting "
                + "sshPrivateKey, and the passphrase is sshPrivateKeyPassphrase.");
        print.println("Add this line to ~<sshUser>/.ssh/authorized_keys on the bastion host:");
        print.println(authorizedKeysLine);
        print.println("Key fingerprint: " + key.fingerprint());
    }

    private void snowflakeKey(String snowflakeUser, KeySlot keySlot, char[] passphrase) {
        SnowflakeKeyPair key = SnowflakeKeyPair.generate();
        // As for SSH keys: the user name is refused, if it is, before the key file exists.
        String statement = key.alterUserStatement(snowflakeUser, keySlot);
        String retire = SnowflakeKeyPair.unsetStatement(snowflakeUser, keySlot.other());
        writePrivateKey(key.encryptedPrivateKeyPem(passphrase));
        Path written = out.toAbsolutePath().normalize();
        String passphraseReference = passphraseFile
                .map(file -> "${file:" + file.toAbsolutePath().normalize() + "}")
                .orElseGet(() -> "${env:" + passphraseVariable() + "}");
        PrintWriter print = spec.commandLine().getOut();
        print.println("Wrote the encrypted private key to " + written + ".");
        print.println("Have a Snowflake administrator run this statement (it installs the public key in slot "
                + keySlot.number() + ", " + keySlot.propertyName() + "):");
        print.println(statement);
        print.println("Key fingerprint: " + key.fingerprint() + " (DESC USER shows it as "
                + keySlot.fingerprintPropertyName() + ")");
        print.println("In the connection settings: privateKey: ${file:" + written + "} and privateKeyPassphrase: "
                + passphraseReference);
        print.println("Once no configuration uses the key in the other slot, if any, retire it: " + retire);
    }

    private String passphraseVariable() {
        return passphraseVariable.orElse(
                snowflake ? DEFAULT_SNOWFLAKE_PASSPHRASE_VARIABLE : DEFAULT_PASSPHRASE_VARIABLE);
    }

    private char[] passphrase() {
        String text;
        if (passphraseFile.isPresent()) {
            try {
                text = Files.readAllLines(passphraseFile.get(), StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new ConfigException(passphraseFile.get() + ": cannot read the passphrase file (" + e + ")");
            }
        } else {
            String variable = passphraseVariable();
            text = System.getenv(variable);
            if (text == null) {
                throw new ConfigException("no passphrase: set the environment variable " + variable
                        + " or give --passphrase-file");
            }
        }
        if (text.length() < MIN_PASSPHRASE_LENGTH) {
            throw new ConfigException("the passphrase has " + text.length() + " characters; use at least "
                    + MIN_PASSPHRASE_LENGTH + " (the private key is only ever stored encrypted with it)");
        }
        return text.toCharArray();
    }

    private void writePrivateKey(String pem) {
        writeOwnerOnly(out, pem);
    }

    /**
     * Writes a new file (a key, a passphrase) readable by its owner only from its first byte, creating its directory;
     * an existing file is never overwritten.
     */
    static void writeOwnerOnly(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            boolean posix = Files.getFileStore(parent == null ? Path.of("").toAbsolutePath() : parent)
                    .supportsFileAttributeView(PosixFileAttributeView.class);
            // Created owner-only from the first byte: never a moment when others could read it.
            try (SeekableByteChannel channel = posix
                    ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.newByteChannel(file, options)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (FileAlreadyExistsException exists) {
            throw new ConfigException(file + ": already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
