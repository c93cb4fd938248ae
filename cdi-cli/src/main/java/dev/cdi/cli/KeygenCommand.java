package dev.cdi.cli;

import dev.cdi.api.CdiException;
import dev.cdi.redshift.tunnel.SshKeyPair;
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
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "keygen",
        description = "Generates an SSH key pair for a tunnel to a bastion host: writes the private key encrypted "
                + "and prints the public key as one authorized_keys line.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false)
final class KeygenCommand implements Callable<Integer> {
    static final String DEFAULT_PASSPHRASE_VARIABLE = "CDI_SSH_KEY_PASSPHRASE";
    static final int MIN_PASSPHRASE_LENGTH = 8;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write the encrypted private key (PEM); an existing file is never overwritten.")
    private Path out;

    @Option(names = "--passphrase-env", paramLabel = "NAME", defaultValue = DEFAULT_PASSPHRASE_VARIABLE,
            description = "The environment variable holding the passphrase (default: ${DEFAULT-VALUE}).")
    private String passphraseVariable;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "A file whose first line is the passphrase, instead of the environment variable.")
    private Optional<Path> passphraseFile = Optional.empty();

    @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "cdi",
            description = "The comment ending the authorized_keys line (default: ${DEFAULT-VALUE}).")
    private String comment;

    @Override
    public Integer call() {
        char[] passphrase = passphrase();
        try {
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(out + ": already exists; refusing to overwrite a key");
            }
            SshKeyPair key = SshKeyPair.generate();
            // Everything that can be refused is checked before the key file exists, so a refusal leaves no file.
            String authorizedKeysLine = key.authorizedKeysLine(comment);
            writePrivateKey(key.encryptedPrivateKeyPem(passphrase));
            PrintWriter print = spec.commandLine().getOut();
            print.println("Wrote the encrypted private key to " + out + ": its text is the connection setting "
                    + "sshPrivateKey, and the passphrase is sshPrivateKeyPassphrase.");
            print.println("Add this line to ~<sshUser>/.ssh/authorized_keys on the bastion host:");
            print.println(authorizedKeysLine);
            print.println("Key fingerprint: " + key.fingerprint());
            return 0;
        } catch (CdiException invalid) {
            throw new ConfigException(invalid.getMessage());
        } finally {
            Arrays.fill(passphrase, '\0');
        }
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
            text = System.getenv(passphraseVariable);
            if (text == null) {
                throw new ConfigException("no passphrase: set the environment variable " + passphraseVariable
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
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            boolean posix = Files.getFileStore(parent == null ? Path.of("").toAbsolutePath() : parent)
                    .supportsFileAttributeView(PosixFileAttributeView.class);
            // Created owner-only from the first byte: never a moment when others could read it.
            try (SeekableByteChannel channel = posix
                    ? Files.newByteChannel(out, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.newByteChannel(out, options)) {
                ByteBuffer bytes = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (FileAlreadyExistsException exists) {
            throw new ConfigException(out + ": already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out, e);
        }
    }
}
