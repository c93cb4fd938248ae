package dev.cdi.redshift.tunnel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    private static final String FIRST = "SHA256:" + "A".repeat(42) + "Q";
    private static final String SECOND = "SHA256:" + "B".repeat(42) + "g";

    @TempDir
    Path directory;

    @Test
    void inMemoryRemembersByHostAndPort() {
        assertRemembersByHostAndPort(KnownHosts.inMemory());
    }

    @Test
    void fileRemembersByHostAndPort() {
        assertRemembersByHostAndPort(new FileKnownHosts(directory.resolve("known_hosts")));
    }

    @Test
    void inMemoryRefusesMalformedFingerprints() {
        assertRefusesMalformedInput(KnownHosts.inMemory());
    }

    @Test
    void fileRefusesMalformedFingerprints() {
        assertRefusesMalformedInput(new FileKnownHosts(directory.resolve("known_hosts")));
    }

    @Test
    void filePersistsAcrossInstances() {
        Path file = directory.resolve("state").resolve("known_hosts");
        new FileKnownHosts(file).remember("bastion.example.com", 22, FIRST);
        new FileKnownHosts(file).remember("other.example.com", 2222, SECOND + "=");

        FileKnownHosts reopened = new FileKnownHosts(file);

        assertThat(reopened.fingerprintOf("bastion.example.com", 22)).contains(FIRST);
        assertThat(reopened.fingerprintOf("other.example.com", 2222)).contains(SECOND);
    }

    @Test
    void fileHoldsOneSimpleLinePerHostAndLeavesNoTemporaryFiles() throws IOException {
        Path file = directory.resolve("known_hosts");
        FileKnownHosts knownHosts = new FileKnownHosts(file);
        knownHosts.remember("Bastion.Example.com", 22, FIRST);
        knownHosts.remember("::1", 2222, SECOND);
        knownHosts.remember("bastion.example.com", 22, SECOND);

        assertThat(Files.readAllLines(file, UTF_8)).containsExactly(
                "# SSH host keys that CDI trusts: one 'host:port SHA256:fingerprint' per line",
                "bastion.example.com:22 " + SECOND,
                "::1:2222 " + SECOND);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(knownHosts.fingerprintOf("::1", 2222)).contains(SECOND);
    }

    @Test
    void missingFileIsEmptyAndReadingDoesNotCreateIt() {
        Path file = directory.resolve("absent").resolve("known_hosts");

        assertThat(new FileKnownHosts(file).fingerprintOf("h", 22)).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void fileIgnoresCommentsAndBlankLines() throws IOException {
        Path file = directory.resolve("known_hosts");
        Files.writeString(file, "# pinned by hand\n\n  h:22   " + FIRST + "  \n", UTF_8);

        assertThat(new FileKnownHosts(file).fingerprintOf("h", 22)).contains(FIRST);
    }

    @Test
    void malformedLineIsNamed() throws IOException {
        Path file = directory.resolve("known_hosts");
        Files.writeString(file, "h:22 " + FIRST + "\nh:23 MD5:aa:bb\n", UTF_8);

        assertThatThrownBy(() -> new FileKnownHosts(file).fingerprintOf("h", 22))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 2");
    }

    @Test
    void unreadableFileIsAStateStoreFailure() throws IOException {
        Path file = directory.resolve("known_hosts");
        Files.createDirectory(file);

        assertThatThrownBy(() -> new FileKnownHosts(file).fingerprintOf("h", 22))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.STATE_STORE_FAILED)
                .hasMessageContaining(file.toString());
    }

    @Test
    void toStringNamesTheFile() {
        Path file = directory.resolve("known_hosts");

        assertThat(new FileKnownHosts(file)).hasToString("known hosts file " + file.toAbsolutePath());
    }

    private static void assertRemembersByHostAndPort(KnownHosts knownHosts) {
        assertThat(knownHosts.fingerprintOf("bastion.example.com", 22)).isEmpty();

        knownHosts.remember("bastion.example.com", 22, FIRST);

        assertThat(knownHosts.fingerprintOf("bastion.example.com", 22)).contains(FIRST);
        assertThat(knownHosts.fingerprintOf("BASTION.example.com", 22)).contains(FIRST);
        assertThat(knownHosts.fingerprintOf("bastion.example.com", 2222)).isEmpty();
        assertThat(knownHosts.fingerprintOf("other.example.com", 22)).isEmpty();

        knownHosts.remember("bastion.example.com", 22, SECOND);

        assertThat(knownHosts.fingerprintOf("bastion.example.com", 22)).contains(SECOND);
    }

    private static void assertRefusesMalformedInput(KnownHosts knownHosts) {
        assertThatThrownBy(() -> knownHosts.remember("h", 22, "SHA256:nope"))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> knownHosts.remember("h", 0, FIRST))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> knownHosts.remember("a host", 22, FIRST))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
        assertThat(knownHosts.fingerprintOf("h", 22)).isEmpty();
    }
}
